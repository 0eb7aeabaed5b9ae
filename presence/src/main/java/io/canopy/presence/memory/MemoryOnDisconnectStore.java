package io.canopy.presence.memory;

import io.canopy.core.path.Path;
import io.canopy.core.rules.Caller;
import io.canopy.presence.ConnectionRef;
import io.canopy.presence.FencedException;
import io.canopy.presence.OnDisconnectStore;
import io.canopy.presence.OrphanQueue;
import io.canopy.presence.QueuedWrite;
import io.canopy.presence.QueuedWrites;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** {@link OnDisconnectStore} in memory: a claim is one step under the state's monitor. */
public final class MemoryOnDisconnectStore implements OnDisconnectStore {
  private final MemoryState state;

  MemoryOnDisconnectStore(MemoryState state) {
    this.state = state;
  }

  @Override
  public CompletableFuture<Void> add(ConnectionRef connection, QueuedWrite write) {
    synchronized (state) {
      if (state.fenced.contains(connection.gatewayId())) {
        return CompletableFuture.failedFuture(new FencedException(connection.gatewayId()));
      }
      state.queues.computeIfAbsent(connection, c -> new ArrayList<>()).add(write);
    }
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletableFuture<Void> cancel(ConnectionRef connection, Path at) {
    synchronized (state) {
      if (state.fenced.contains(connection.gatewayId())) {
        return CompletableFuture.failedFuture(new FencedException(connection.gatewayId()));
      }
      List<QueuedWrite> queue = state.queues.get(connection);
      if (queue != null) {
        List<QueuedWrite> kept = QueuedWrites.cancelWrites(queue, at);
        if (kept.isEmpty()) {
          state.queues.remove(connection);
        } else {
          state.queues.put(connection, new ArrayList<>(kept));
        }
      }
    }
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletableFuture<Void> setCaller(ConnectionRef connection, Caller caller) {
    synchronized (state) {
      if (state.fenced.contains(connection.gatewayId())) {
        return CompletableFuture.failedFuture(new FencedException(connection.gatewayId()));
      }
      List<QueuedWrite> queue = state.queues.get(connection);
      if (queue != null) {
        queue.replaceAll(w -> w.withCaller(caller));
      }
    }
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletableFuture<List<QueuedWrite>> drain(ConnectionRef connection) {
    List<QueuedWrite> queue;
    synchronized (state) {
      queue = state.queues.remove(connection);
    }
    return CompletableFuture.completedFuture(queue == null ? List.of() : List.copyOf(queue));
  }

  @Override
  public CompletableFuture<List<OrphanQueue>> claimOrphans(String deadGatewayId, String claimant) {
    List<OrphanQueue> claimed = new ArrayList<>();
    synchronized (state) {
      if (state.live(deadGatewayId)) {
        return CompletableFuture.completedFuture(List.of());
      }
      for (Iterator<Map.Entry<ConnectionRef, List<QueuedWrite>>> it = state.queues.entrySet().iterator();
          it.hasNext(); ) {
        Map.Entry<ConnectionRef, List<QueuedWrite>> e = it.next();
        if (e.getKey().gatewayId().equals(deadGatewayId)) {
          if (!e.getValue().isEmpty()) {
            claimed.add(new OrphanQueue(e.getKey(), e.getValue()));
          }
          it.remove();
        }
      }
      if (state.registered.remove(deadGatewayId)) {
        state.fenced.add(deadGatewayId);
      }
    }
    return CompletableFuture.completedFuture(claimed);
  }
}
