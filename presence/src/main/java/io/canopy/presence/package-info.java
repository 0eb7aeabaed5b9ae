/**
 * Cluster-wide state of the gateways, as small SPIs: {@link io.canopy.presence.OnDisconnectStore} (each
 * connection's queued onDisconnect writes, claimable by exactly one survivor when its gateway dies),
 * {@link io.canopy.presence.NodeLiveness} (per-gateway leases with a TTL), {@link io.canopy.presence.Presence}
 * (open connections per namespace) and {@link io.canopy.presence.ClusterRateLimiter} (writes per namespace per
 * time window across gateways), bundled by {@link io.canopy.presence.ClusterState}.
 *
 * <p>The contracts are written on the interfaces; {@code .memory} (one process, all-in-one) and {@code .redis}
 * (lettuce, a cluster of gateways) implement them, and one conformance suite (the test-jar's
 * {@code io.canopy.presence.testing}) holds both to them. Only {@code server} picks an implementation; other
 * modules see the interfaces (and {@link io.canopy.presence.ClusterState#inMemory()}).
 */
package io.canopy.presence;
