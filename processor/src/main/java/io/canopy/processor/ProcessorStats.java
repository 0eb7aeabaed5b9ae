package io.canopy.processor;

import io.canopy.core.metrics.Histogram;

/**
 * Counters since start, for /metrics and the benchmarks.
 *
 * @param writes write records processed
 * @param rejected writes answered with an error (e.g. datastale)
 * @param flushes store flushes
 * @param storeWrites overwrites written to the store (after op-tree composition)
 * @param flushNanos total time spent in store flushes
 * @param fencedFlushes flushes refused by the store because another processor had claimed the partition
 * @param intakeLag Kafka → processor: from a write record's log time to its verdict, in ms
 * @param batchWrites writes per store flush
 * @param flushTime one store flush (data and checkpoint), in ms
 */
public record ProcessorStats(long writes, long rejected, long flushes, long storeWrites, long flushNanos,
    long fencedFlushes, Histogram.Snapshot intakeLag, Histogram.Snapshot batchWrites, Histogram.Snapshot flushTime) {
  /** Writes per store flush: how much Nagle batching saved. */
  public double writesPerFlush() {
    return flushes == 0 ? 0 : (double) writes / flushes;
  }
}
