package io.canopy.presence.memory;

import io.canopy.presence.ClusterRateLimiter;
import java.util.concurrent.CompletableFuture;

/** {@link ClusterRateLimiter} in memory: windows aligned to the wall clock; a namespace keeps only its current one. */
public final class MemoryClusterRateLimiter implements ClusterRateLimiter {
  private final MemoryState state;

  MemoryClusterRateLimiter(MemoryState state) {
    this.state = state;
  }

  @Override
  public CompletableFuture<WindowCount> add(String namespace, long count, long windowMs) {
    if (windowMs < 1 || count < 0) {
      throw new IllegalArgumentException("presence: windowMs must be >= 1 and count >= 0");
    }
    long now = System.currentTimeMillis();
    long index = now / windowMs;
    long total;
    synchronized (state) {
      // one entry per namespace and window length: its current window
      long[] window = state.windows.computeIfAbsent(namespace + " " + windowMs, k -> new long[] {index, 0});
      if (window[0] != index) {
        window[0] = index;
        window[1] = 0;
      }
      window[1] += count;
      total = window[1];
    }
    return CompletableFuture.completedFuture(new WindowCount(total, (index + 1) * windowMs - now));
  }
}
