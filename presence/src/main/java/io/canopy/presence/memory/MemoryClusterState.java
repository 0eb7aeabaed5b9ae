package io.canopy.presence.memory;

import io.canopy.presence.ClusterRateLimiter;
import io.canopy.presence.ClusterState;
import io.canopy.presence.NodeLiveness;
import io.canopy.presence.OnDisconnectStore;
import io.canopy.presence.Presence;
import java.util.concurrent.CompletableFuture;

/** All four SPIs in this process's memory: the all-in-one default. Every future is already complete. */
public final class MemoryClusterState implements ClusterState {
  private final MemoryState state = new MemoryState();
  private final MemoryOnDisconnectStore onDisconnect = new MemoryOnDisconnectStore(state);
  private final MemoryNodeLiveness liveness = new MemoryNodeLiveness(state);
  private final MemoryPresence presence = new MemoryPresence(state);
  private final MemoryClusterRateLimiter rateLimiter = new MemoryClusterRateLimiter(state);

  @Override
  public OnDisconnectStore onDisconnect() {
    return onDisconnect;
  }

  @Override
  public NodeLiveness liveness() {
    return liveness;
  }

  @Override
  public Presence presence() {
    return presence;
  }

  @Override
  public ClusterRateLimiter rateLimiter() {
    return rateLimiter;
  }

  @Override
  public CompletableFuture<Void> ping() {
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public String describe() {
    return "memory";
  }

  @Override
  public boolean shared() {
    return false;
  }

  @Override
  public void close() {
    // nothing to release
  }
}
