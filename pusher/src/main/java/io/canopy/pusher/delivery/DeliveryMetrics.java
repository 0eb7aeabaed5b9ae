package io.canopy.pusher.delivery;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** Counters shared by every outbox of one pusher. Thread-safe. */
public final class DeliveryMetrics {
  private final LongAdder pushes = new LongAdder();
  private final LongAdder gatewayItems = new LongAdder();
  private final LongAdder droppedPushes = new LongAdder();
  private final LongAdder resyncs = new LongAdder();
  private final LongAdder written = new LongAdder();
  private final AtomicLong outboxDepthMax = new AtomicLong();

  void pushed(int n) {
    pushes.add(n);
  }

  void gatewayItem() {
    gatewayItems.increment();
  }

  void resynced(int dropped) {
    resyncs.increment();
    droppedPushes.add(dropped);
  }

  void wrote() {
    written.increment();
  }

  void depth(int depth) {
    long max = outboxDepthMax.get();
    while (depth > max && !outboxDepthMax.compareAndSet(max, depth)) {
      max = outboxDepthMax.get();
    }
  }

  /** Data pushes queued (deltas, initial data and resync snapshots). */
  public long pushes() {
    return pushes.sum();
  }

  /** Gateway items (replies) queued. */
  public long gatewayItems() {
    return gatewayItems.sum();
  }

  /** Queued data pushes dropped by resyncs. */
  public long droppedPushes() {
    return droppedPushes.sum();
  }

  /** Overflows that replaced a session's queued deltas by snapshots. */
  public long resyncs() {
    return resyncs.sum();
  }

  /** Items handed to transports. */
  public long written() {
    return written.sum();
  }

  /** The deepest any outbox has been. */
  public long outboxDepthMax() {
    return outboxDepthMax.get();
  }
}
