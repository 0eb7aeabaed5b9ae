package io.canopy.pusher.ack;

import io.canopy.core.log.ChangeRecord;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Routes verdicts (change records) back to the write of this gateway that is waiting for them. A request
 * registers before its write is produced, so a fast verdict cannot arrive unclaimed.
 */
public final class AckRouter {
  private final String gatewayId;
  private final AtomicLong nextRequest = new AtomicLong(1);
  private final ConcurrentMap<Long, CompletableFuture<ChangeRecord>> waiting = new ConcurrentHashMap<>();

  public AckRouter(String gatewayId) {
    this.gatewayId = gatewayId;
  }

  public String gatewayId() {
    return gatewayId;
  }

  /** A new request id with the future its verdict will complete. Call {@link #forget} if the write fails. */
  public PendingWrite register() {
    long id = nextRequest.getAndIncrement();
    CompletableFuture<ChangeRecord> f = new CompletableFuture<>();
    waiting.put(id, f);
    return new PendingWrite(id, f);
  }

  public void forget(long requestId) {
    waiting.remove(requestId);
  }

  /** Completes the waiting write, if the change came from a write of this gateway. */
  public void route(ChangeRecord change) {
    if (!gatewayId.equals(change.origin().gateway())) {
      return;
    }
    CompletableFuture<ChangeRecord> f = waiting.remove(change.origin().request());
    if (f != null) {
      f.complete(change);
    }
  }

  public int waitingCount() {
    return waiting.size();
  }

  /** Fails every waiting write (on shutdown). */
  public void failAll(Throwable cause) {
    waiting.values().forEach(f -> f.completeExceptionally(cause));
    waiting.clear();
  }

  public record PendingWrite(long requestId, CompletableFuture<ChangeRecord> verdict) {}
}
