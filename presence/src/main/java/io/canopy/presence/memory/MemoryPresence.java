package io.canopy.presence.memory;

import io.canopy.presence.Presence;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/** {@link Presence} in memory. */
public final class MemoryPresence implements Presence {
  private final MemoryState state;

  MemoryPresence(MemoryState state) {
    this.state = state;
  }

  @Override
  public CompletableFuture<Void> opened(String gatewayId, String namespace) {
    return change(gatewayId, namespace, 1);
  }

  @Override
  public CompletableFuture<Void> closed(String gatewayId, String namespace) {
    return change(gatewayId, namespace, -1);
  }

  private CompletableFuture<Void> change(String gatewayId, String namespace, long by) {
    synchronized (state) {
      Map<String, Long> counts = state.connections.computeIfAbsent(gatewayId, g -> new HashMap<>());
      long n = counts.getOrDefault(namespace, 0L) + by;
      if (n == 0) {
        counts.remove(namespace);
      } else {
        counts.put(namespace, n);
      }
    }
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletableFuture<Map<String, Long>> connections() {
    Map<String, Long> sum = new TreeMap<>();
    synchronized (state) {
      state.connections.forEach((gw, counts) -> {
        if (state.live(gw)) {
          counts.forEach((ns, n) -> sum.merge(ns, n, Long::sum));
        }
      });
    }
    sum.values().removeIf(n -> n <= 0);
    return CompletableFuture.completedFuture(sum);
  }

  @Override
  public CompletableFuture<Void> forget(String gatewayId) {
    synchronized (state) {
      state.connections.remove(gatewayId);
    }
    return CompletableFuture.completedFuture(null);
  }
}
