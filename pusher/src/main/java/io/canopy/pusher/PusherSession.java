package io.canopy.pusher;

import io.canopy.core.error.CanopyException;
import io.canopy.core.error.ErrorCode;
import io.canopy.core.path.Path;
import io.canopy.core.query.QuerySpec;
import io.canopy.core.rules.Caller;
import io.canopy.core.rules.Decision;
import io.canopy.pusher.access.ReadAccess;
import io.canopy.pusher.delivery.Outbox;
import io.canopy.pusher.view.ViewKey;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;


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
  private static final Logger LOG = LoggerFactory.getLogger(PusherSession.class);

  private final Realtime realtime;
  private final Consumer<PusherSession> onClosed;
  private final ReadAccess access;
  private final Executor checks;
  final Outbox outbox;
  private volatile boolean closed;
  private volatile Caller caller = Caller.ANONYMOUS;
  /**
   * The tail of this session's access checks: listens, unlistens and re-checks pass through it in call order, so
   * a listen whose check needs a store read is not overtaken by a later unlisten. Guarded by {@code this}.
   */
  private CompletableFuture<Void> gate = CompletableFuture.completedFuture(null);

  // ---- owned by the feed thread ----
  final Map<ViewKey, Realtime.Listener> listens = new HashMap<>();
  boolean resyncPending;
  long deliveryRound;

  PusherSession(Realtime realtime, Outbox outbox, ReadAccess access, Executor checks,
      Consumer<PusherSession> onClosed) {
    this.realtime = realtime;
    this.outbox = outbox;
    this.access = access;
    this.checks = checks;
    this.onClosed = onClosed;
  }

  /** Who this session's reads are judged as ({@link Caller#ANONYMOUS} until set). */
  public Caller caller() {
    return caller;
  }

  /**
   * Changes who this session's reads are judged as (sign-in, sign-out, a new or expired credential); every open
   * listen is checked again, and those no longer allowed are revoked ({@link ListenRevoked}).
   */
  public synchronized void setCaller(Caller newCaller) {
    Objects.requireNonNull(newCaller, "caller");
    if (newCaller.equals(caller)) {
      return;
    }
    caller = newCaller;
    if (!newCaller.admin()) {
      recheck(null);
    }
  }

  /** Re-checks this session's listens in {@code namespace} (null: all) and revokes those no longer allowed. */
  synchronized void recheck(String namespace) {
    if (closed) {
      return;
    }
    gate = gate.exceptionally(e -> null).thenCompose(x -> realtime.listensOf(this, namespace))
        .thenAcceptAsync(listens -> {
      Caller c = caller;
      for (Realtime.ListenRef l : listens) {
        try {
          if (!access.check(l.key().namespace(), l.key().path(), l.key().query(), c).allowed()) {
            realtime.revoke(this, l.key());
          }
        } catch (RuntimeException e) {
          // The rules or data could not be read just now: keep what was granted rather than drop it spuriously.
          LOG.warn("re-checking the listen at {} failed: {}", l.key().path(), e.getMessage());
        }
      }
    }, checks).exceptionally(e -> {
      LOG.warn("re-checking listens failed", e);
      return null;
    });
  }

  /**
   * Listens to {@code path} in {@code namespace}: the returned future completes once the current value (for a
   * query: the query result) has been queued to this session as {@code DataPush.overwrite(namespace, path, value,
   * tag)} (null value = empty); from then on every committed change that alters it is pushed. A repeated listen
   * with the same (namespace, path, query) replaces the old one (taking the new tag) and queues the data again.
   * The future fails with a {@code CanopyException}: permission_denied if the namespace's {@code .read} rules do
   * not allow it for this session's {@link #caller()}, unavailable if the data cannot be loaded; and with a
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
    ViewKey key = new ViewKey(namespace, path, query);
    synchronized (this) {
      Caller c = caller;
      if (gate.isDone() && access.allowedWithoutLoading(namespace, c)) {
        return realtime.listen(this, key, tag);
      }
      CompletableFuture<Void> result = new CompletableFuture<>();
      gate = gate.exceptionally(e -> null).thenRunAsync(() -> {
        Decision d;
        try {
          d = access.check(namespace, path, query, c);
        } catch (RuntimeException e) {
          result.completeExceptionally(e); // e.g. unavailable: the listen fails as a load would
          return;
        }
        if (!d.allowed()) {
          result.completeExceptionally(new CanopyException(ErrorCode.PERMISSION_DENIED, "Permission denied"));
          return;
        }
        realtime.listen(this, key, tag).whenComplete((v, e) -> {
          if (e != null) {
            result.completeExceptionally(e);
          } else {
            result.complete(v);
          }
        });
      }, checks);
      return result;
    }
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
      ViewKey key = new ViewKey(namespace, path, query);
      synchronized (this) {
        if (gate.isDone()) {
          realtime.unlisten(this, key);
        } else {
          gate = gate.exceptionally(e -> null).thenRun(() -> realtime.unlisten(this, key));
        }
      }
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
