package io.canopy.processor;

/**
 * Counters since start, for /metrics and the benchmarks.
 *
 * @param writes write records processed
 * @param rejected writes answered with an error (e.g. datastale)
 * @param flushes store flushes
 * @param storeWrites overwrites written to the store (after op-tree composition)
 * @param flushNanos total time spent in store flushes
 */
public record ProcessorStats(long writes, long rejected, long flushes, long storeWrites, long flushNanos) {
  /** Writes per store flush: how much Nagle batching saved. */
  public double writesPerFlush() {
    return flushes == 0 ? 0 : (double) writes / flushes;
  }
}
