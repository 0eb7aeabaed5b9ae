package io.canopy.presence;

import java.util.concurrent.CompletableFuture;

/**
 * Writes per namespace in fixed time windows, counted across every gateway: each gateway adds what it admitted,
 * and learns the cluster-wide total of the current window. Windows are aligned to the store's clock (Redis
 * {@code TIME}), so all gateways agree on where a window starts whatever their own clocks say.
 */
public interface ClusterRateLimiter {

  /**
   * Adds {@code count} (0 reads) to {@code namespace}'s current window of {@code windowMs} and returns the total
   * of that window after adding, with the time left in it.
   */
  CompletableFuture<WindowCount> add(String namespace, long count, long windowMs);

  /** The total of a window and how long it lasts from now. */
  record WindowCount(long total, long remainingMs) {}
}
