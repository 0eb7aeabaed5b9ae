package io.canopy.presence.memory;

import io.canopy.presence.NodeLiveness;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

/** {@link NodeLiveness} in memory, expiring leases by {@link System#nanoTime}. */
public final class MemoryNodeLiveness implements NodeLiveness {
  private final MemoryState state;

  MemoryNodeLiveness(MemoryState state) {
    this.state = state;
  }

  @Override
  public CompletableFuture<Boolean> renew(String gatewayId, Duration ttl) {
    synchronized (state) {
      if (state.fenced.contains(gatewayId)) {
        return CompletableFuture.completedFuture(false);
      }
      state.leases.put(gatewayId, MemoryState.nowMs() + ttl.toMillis());
      state.registered.add(gatewayId);
    }
    return CompletableFuture.completedFuture(true);
  }

  @Override
  public CompletableFuture<Boolean> rejoin(String gatewayId, Duration ttl) {
    synchronized (state) {
      state.fenced.remove(gatewayId);
    }
    return renew(gatewayId, ttl);
  }

  @Override
  public CompletableFuture<Void> release(String gatewayId) {
    synchronized (state) {
      state.leases.remove(gatewayId);
    }
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletableFuture<Set<String>> deadGateways() {
    Set<String> dead = new TreeSet<>();
    synchronized (state) {
      for (String gw : state.registered) {
        if (!state.live(gw)) {
          dead.add(gw);
        }
      }
    }
    return CompletableFuture.completedFuture(dead);
  }

  @Override
  public CompletableFuture<Set<String>> liveGateways() {
    Set<String> live = new TreeSet<>();
    synchronized (state) {
      for (String gw : Set.copyOf(state.leases.keySet())) {
        if (state.live(gw)) {
          live.add(gw);
        }
      }
    }
    return CompletableFuture.completedFuture(live);
  }
}
