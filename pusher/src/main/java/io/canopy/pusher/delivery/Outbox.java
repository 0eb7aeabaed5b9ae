package io.canopy.pusher.delivery;

import io.canopy.pusher.DataPush;
import io.canopy.pusher.SessionTransport;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One session's ordered queue towards its transport. Everything queued is written in queue order, one
 * {@link SessionTransport#write} at a time, while the transport is {@link SessionTransport#writable()}; when it is
 * not, items wait until {@link SessionTransport#onWritable} calls back.
 *
 * <p>Two kinds of items: data pushes ({@link #offer}), which a slow consumer may lose to a resync, and gateway items
 * ({@link #send}: replies), which are never dropped. The queue is bounded for data: {@link #offer} refuses a push
 * when the queue already holds {@code maxItems} items or the push would take it past {@code maxBytes} (estimated);
 * the caller then calls {@link #resync} with fresh snapshots of the session's views, which replace every queued
 * data push at the position of the first one (so they still precede every reply queued after those pushes: listen
 * oks and write acks keep their data before them).
 *
 * <p>Threads: every method may be called from any thread. Writes run on the drain executor, never two at once for
 * one outbox (a work-in-progress counter makes one drainer at a time and loses no signal).
 */
public final class Outbox {
  private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);

  private final SessionTransport transport;
  private final Executor drainExecutor;
  private final DeliveryMetrics metrics;
  private final int maxItems;
  private final long maxBytes;

  private final Object lock = new Object();
  private ArrayDeque<Item> queue = new ArrayDeque<>();
  private long bytes;
  private boolean closed;

  private final AtomicInteger wip = new AtomicInteger();
  /** Set by the drainer when it asked for an onWritable callback; cleared by the callback. */
  private volatile boolean awaitingWritable;

  private record Item(Object value, boolean data, long bytes) {}

  public Outbox(SessionTransport transport, Executor drainExecutor, DeliveryMetrics metrics, int maxItems,
      long maxBytes) {
    this.transport = Objects.requireNonNull(transport, "transport");
    this.drainExecutor = Objects.requireNonNull(drainExecutor, "drainExecutor");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    if (maxItems < 1 || maxBytes < 1) {
      throw new IllegalArgumentException("outbox bounds must be >= 1");
    }
    this.maxItems = maxItems;
    this.maxBytes = maxBytes;
  }

  /** Queues a gateway item after everything queued before it. Never dropped (only discarded by {@link #close}). */
  public void send(Object item) {
    Objects.requireNonNull(item, "item");
    synchronized (lock) {
      if (closed) {
        return;
      }
      queue.addLast(new Item(item, false, SizeEstimator.GATEWAY_ITEM_BYTES));
      bytes += SizeEstimator.GATEWAY_ITEM_BYTES;
      metrics.depth(queue.size());
    }
    metrics.gatewayItem();
    signal();
  }

  /**
   * Queues a data push of {@code estimatedBytes} unless the queue is full: returns false, queueing nothing, when it
   * is not empty and holds {@code maxItems} items or would pass {@code maxBytes}. (A push into an empty queue is
   * always taken, however large.) A closed outbox takes and discards everything.
   */
  public boolean offer(DataPush push, long estimatedBytes) {
    return offer(push, estimatedBytes, true);
  }

  /**
   * Like {@link #offer(DataPush, long)}; with {@code signal} false the push is only queued, and the caller must
   * later {@link #drainHere} or {@link #flush} (the pusher queues a whole change to many outboxes, then drains them
   * in a few batch tasks instead of one task per outbox).
   */
  public boolean offer(DataPush push, long estimatedBytes, boolean signal) {
    synchronized (lock) {
      if (closed) {
        return true;
      }
      if (!queue.isEmpty() && (queue.size() >= maxItems || bytes + estimatedBytes > maxBytes)) {
        return false;
      }
      queue.addLast(new Item(push, true, estimatedBytes));
      bytes += estimatedBytes;
      metrics.depth(queue.size());
    }
    metrics.pushed(1);
    if (signal) {
      signal();
    }
    return true;
  }

  /**
   * Drops every queued data push and queues {@code snapshots} (with their estimated sizes) where the first dropped
   * one was, or at the end if none was queued; gateway items keep their order. Snapshots are taken whatever the
   * bounds. Returns how many pushes were dropped.
   */
  public int resync(List<DataPush> snapshots, long[] estimatedBytes) {
    if (snapshots.size() != estimatedBytes.length) {
      throw new IllegalArgumentException("one size per snapshot");
    }
    int dropped = 0;
    synchronized (lock) {
      if (closed) {
        return 0;
      }
      ArrayDeque<Item> next = new ArrayDeque<>(Math.max(16, queue.size() + snapshots.size()));
      boolean inserted = false;
      for (Item it : queue) {
        if (it.data) {
          if (!inserted) {
            insert(next, snapshots, estimatedBytes);
            inserted = true;
          }
          dropped++;
          bytes -= it.bytes;
        } else {
          next.addLast(it);
        }
      }
      if (!inserted) {
        insert(next, snapshots, estimatedBytes);
      }
      queue = next;
      metrics.depth(queue.size());
    }
    metrics.resynced(dropped);
    metrics.pushed(snapshots.size());
    signal();
    return dropped;
  }

  private void insert(ArrayDeque<Item> into, List<DataPush> snapshots, long[] sizes) {
    for (int i = 0; i < sizes.length; i++) {
      into.addLast(new Item(snapshots.get(i), true, sizes[i]));
      bytes += sizes[i];
    }
  }

  /** Items queued and not yet written. */
  public int depth() {
    synchronized (lock) {
      return queue.size();
    }
  }

  /** Estimated bytes queued. */
  public long queuedBytes() {
    synchronized (lock) {
      return bytes;
    }
  }

  public boolean isClosed() {
    synchronized (lock) {
      return closed;
    }
  }

  /** Discards what is queued and stops writing; later items are discarded. Idempotent. */
  public void close() {
    synchronized (lock) {
      closed = true;
      queue.clear();
      bytes = 0;
    }
  }

  // ---- draining ----

  /** Makes sure what is queued gets written: schedules a drain on the drain executor unless one is running. */
  public void flush() {
    signal();
  }

  /**
   * Writes what is queued on the calling thread (while the transport is writable), unless another thread is
   * draining this outbox right now, in which case that one also writes what this call would have.
   */
  public void drainHere() {
    if (wip.getAndIncrement() == 0) {
      drainLoop();
    }
  }

  private void signal() {
    if (wip.getAndIncrement() == 0) {
      try {
        drainExecutor.execute(this::drainLoop);
      } catch (RuntimeException e) { // rejected: shutting down
        wip.set(0);
      }
    }
  }

  private void drainLoop() {
    int missed = 1;
    while (true) {
      drainWhileWritable();
      missed = wip.addAndGet(-missed);
      if (missed == 0) {
        return;
      }
    }
  }

  private void drainWhileWritable() {
    while (!awaitingWritable) {
      synchronized (lock) {
        if (closed || queue.isEmpty()) {
          return;
        }
      }
      if (!transport.writable()) {
        awaitingWritable = true;
        transport.onWritable(this::writableAgain);
        if (!transport.writable()) {
          return;
        }
        // it drained between the check and the registration: a callback may never come, so carry on (a late
        // callback only causes a harmless extra drain)
        awaitingWritable = false;
      }
      Item it;
      synchronized (lock) {
        if (closed) {
          return;
        }
        it = queue.pollFirst();
        if (it == null) {
          return;
        }
        bytes -= it.bytes;
      }
      try {
        transport.write(it.value);
        metrics.wrote();
      } catch (RuntimeException e) {
        LOG.warn("session transport failed; its outbox stops writing", e);
        close();
        return;
      }
    }
  }

  private void writableAgain() {
    awaitingWritable = false;
    signal();
  }
}
