package io.canopy.processor.intake;

import io.canopy.core.metrics.Histogram;
import io.canopy.processor.ProcessorStats;
import java.util.concurrent.atomic.AtomicLong;

/** Counters the intake loop updates and {@code Processor#stats} reads. */
public final class IntakeCounters {
  final AtomicLong writes = new AtomicLong();
  final AtomicLong rejected = new AtomicLong();
  final AtomicLong flushes = new AtomicLong();
  final AtomicLong storeWrites = new AtomicLong();
  final AtomicLong flushNanos = new AtomicLong();
  /** Flushes the store refused because another processor had claimed the partition. */
  final AtomicLong fenced = new AtomicLong();
  final Histogram intakeLag = Histogram.latencyMillis();
  final Histogram batchWrites = Histogram.sizes("writes");
  final Histogram flushTime = Histogram.latencyMillis();

  public ProcessorStats snapshot() {
    return new ProcessorStats(writes.get(), rejected.get(), flushes.get(), storeWrites.get(), flushNanos.get(),
        fenced.get(), intakeLag.snapshot(), batchWrites.snapshot(), flushTime.snapshot());
  }
}
