package io.canopy.pusher.delivery;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * Drains many outboxes after a change in a few tasks: the outboxes a change touched are split into at most
 * {@code parallelism} batches of at least {@value #BATCH_MIN} (the last may be smaller), each drained by one task of
 * the executor. Not one task per outbox: each task is a hand-off that may wake a thread, which at a fan-out of
 * thousands would cost the feed thread more than computing the change, and even at a fan-out of ten, thousands of
 * changes a second, costs more CPU than the writes (and on a small machine every wake-up waits for a core).
 */
public final class DeliveryScheduler {
  /** The smallest batch worth a task of its own (below it, one task drains all: writes are cheap). */
  private static final int BATCH_MIN = 16;

  private final Executor executor;
  private final int parallelism;

  public DeliveryScheduler(Executor executor, int parallelism) {
    if (parallelism < 1) {
      throw new IllegalArgumentException("parallelism must be >= 1");
    }
    this.executor = executor;
    this.parallelism = parallelism;
  }

  /** Gets every outbox in {@code outboxes} drained soon; the list is copied, the caller may reuse it. */
  public void drain(List<Outbox> outboxes) {
    int n = outboxes.size();
    if (n == 0) {
      return;
    }
    if (n == 1) {
      outboxes.get(0).flush();
      return;
    }
    int batches = Math.min(parallelism, (n + BATCH_MIN - 1) / BATCH_MIN);
    int per = (n + batches - 1) / batches;
    for (int from = 0; from < n; from += per) {
      List<Outbox> batch = new ArrayList<>(outboxes.subList(from, Math.min(n, from + per)));
      try {
        executor.execute(() -> {
          for (int i = 0, m = batch.size(); i < m; i++) {
            batch.get(i).drainHere();
          }
        });
      } catch (RuntimeException e) { // rejected: shutting down
        return;
      }
    }
  }
}
