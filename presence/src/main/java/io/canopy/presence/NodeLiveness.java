package io.canopy.presence;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Leases of the gateways. A gateway holds a lease while it renews it within its TTL; a gateway that was ever
 * registered (by {@link #renew}) and holds no lease is dead, and its state is for the others to claim
 * ({@link OnDisconnectStore#claimOrphans}, {@link Presence#forget}). Expiry is judged by the store's clock (Redis
 * TTLs), not by the gateways' clocks.
 */
public interface NodeLiveness {

  /**
   * Takes or extends the gateway's lease for {@code ttl} and registers it. Completes {@code false} (and takes no
   * lease) if the gateway is fenced: another gateway claimed its state after its lease expired.
   */
  CompletableFuture<Boolean> renew(String gatewayId, Duration ttl);

  /** Lifts a fence (after the gateway closed the connections it held) and renews as {@link #renew}. */
  CompletableFuture<Boolean> rejoin(String gatewayId, Duration ttl);

  /** Gives the lease up now (a clean stop): the gateway is dead from now on, so anything it left gets reaped. */
  CompletableFuture<Void> release(String gatewayId);

  /** Registered gateways without a lease, whose state has not been claimed yet. */
  CompletableFuture<Set<String>> deadGateways();

  /** Gateways holding a lease. */
  CompletableFuture<Set<String>> liveGateways();
}
