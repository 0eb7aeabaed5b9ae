package io.canopy.pusher;

import io.canopy.core.path.Path;
import io.canopy.core.query.QuerySpec;
import io.canopy.pusher.delivery.Outbox;
import io.canopy.pusher.view.ViewKey;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * One connection's listens and its ordered outbox, opened with {@link Pusher#openSession}. Everything this
 * session writes to its {@link SessionTransport}, data pushes and the gateway's own items alike, goes through one
 * FIFO queue, so the transport sees it in exactly the order it was queued:
 *
 * <ul>
 *   <li>a listen's initial data is queued before its future completes, so a reply queued on completion follows
 *       it (PROTOCOL §3.2: data, then {@code ok});
 *   <li>a change's pushes are queued to every affected listen before the change's verdict future (from
 *       {@link Pusher#acks()}) completes, so an ack queued on completion follows the writer's own echo (§3.3);
 *   <li>changes are queued in commit (log) order, the same order for every session.
 * </ul>
 *
 * <p>Threads: every method may be called from any thread and never blocks. Listens, unlistens and close are
 * carried out on the pusher's feed thread, in the order they were called; futures returned by {@link #listen}
 * complete on that thread, so what the caller chains on them synchronously must be short and non-blocking (queue
 * the reply with {@link #send}, or hop to its own event loop).
 */
public final class PusherSession implements AutoCloseable {
  private final Realtime realtime;
  private final Consumer<PusherSession> onClosed;
  final Outbox outbox;
  private volatile boolean closed;

  // ---- owned by the feed thread ----
  final Map<ViewKey, Realtime.Listener> listens = new HashMap<>();
  boolean resyncPending;
  long deliveryRound;

  PusherSession(Realtime realtime, Outbox outbox, Consumer<PusherSession> onClosed) {
    this.realtime = realtime;
    this.outbox = outbox;
    this.onClosed = onClosed;
  }

  /**
   * Listens to {@code path} in {@code namespace}: the returned future completes once the current value (for a
   * query: the query result) has been queued to this session as {@code DataPush.overwrite(namespace, path, value,
   * tag)} (null value = empty); from then on every committed change that alters it is pushed. A repeated listen
   * with the same (namespace, path, query) replaces the old one (taking the new tag) and queues the data again.
   * The future fails with a {@code CanopyException} (unavailable) if the data cannot be loaded, and with a
   * {@link CancellationException} if the session closes first.
   *
   * @param query {@link QuerySpec#DEFAULT} (or any query without range and limit) for a default listen
   * @param tag the listen's tag, carried by its pushes; null for default listens
   */
  public CompletableFuture<Void> listen(String namespace, Path path, QuerySpec query, Long tag) {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(path, "path");
    if (closed) {
      return CompletableFuture.failedFuture(new CancellationException("session closed"));
    }
    return realtime.listen(this, new ViewKey(namespace, path, query), tag);
  }

  /**
   * Stops the listen with this (namespace, path, query), if any; its view is released when no one else listens.
   * Pushes already queued stay queued (they are harmless: overwrites are idempotent). A listen still waiting for
   * its data completes normally without data.
   */
  public void unlisten(String namespace, Path path, QuerySpec query) {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(path, "path");
    if (!closed) {
      realtime.unlisten(this, new ViewKey(namespace, path, query));
    }
  }

  /**
   * Queues a gateway item (a reply, a control message) after everything queued before it. Gateway items are
   * never dropped, not even when a slow connection's data is resynced. Ignored after {@link #close}.
   */
  public void send(Object item) {
    outbox.send(item);
  }

  /** Items queued and not yet written to the transport. */
  public int queuedItems() {
    return outbox.depth();
  }

  public boolean isClosed() {
    return closed;
  }

  /**
   * Drops all of this session's listens (views nobody listens to any more are released), discards what is queued
   * and stops writing to the transport. Idempotent.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    outbox.close();
    realtime.closeSession(this);
    onClosed.accept(this);
  }
}
