/**
 * The presence SPIs' conformance suite and a real redis-server fixture, shipped as {@code canopy-presence:test-jar}:
 * extend {@link io.canopy.presence.testing.ClusterStateConformance} and supply a fresh
 * {@link io.canopy.presence.ClusterState}; start Redis with {@link io.canopy.presence.testing.RedisFixture}. Test
 * code only.
 */
package io.canopy.presence.testing;
