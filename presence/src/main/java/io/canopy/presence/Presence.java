package io.canopy.presence;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Open realtime connections per namespace, counted per gateway and summed over the gateways that hold a lease.
 * Counts are best effort: a gateway reports every open and close, and a dead gateway's counts are dropped by
 * whoever {@link #forget}s it (the reaper), at most one reap interval after its lease expired.
 */
public interface Presence {

  /** One more connection of {@code namespace} on the gateway. */
  CompletableFuture<Void> opened(String gatewayId, String namespace);

  /** One connection of {@code namespace} on the gateway ended. */
  CompletableFuture<Void> closed(String gatewayId, String namespace);

  /** Open connections per namespace over every gateway holding a lease (namespaces with none left out). */
  CompletableFuture<Map<String, Long>> connections();

  /** Drops the counts of a (dead) gateway. Idempotent. */
  CompletableFuture<Void> forget(String gatewayId);
}
