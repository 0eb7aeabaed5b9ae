package io.canopy.processor.batch;

/**
 * When a partition's buffer must be flushed: once it holds {@code maxOps} writes, or once its oldest write is
 * {@code maxDelayMs} old. Knows nothing of stores or Kafka.
 */
public record NaglePolicy(int maxOps, long maxDelayMs) {
  public boolean due(int ops, long oldestNanos, long nowNanos) {
    return ops > 0 && (ops >= maxOps || nowNanos - oldestNanos >= maxDelayMs * 1_000_000L);
  }

  /** Nanoseconds until the buffer is due by age ({@code Long.MAX_VALUE} when empty). */
  public long nanosUntilDue(int ops, long oldestNanos, long nowNanos) {
    if (ops == 0) {
      return Long.MAX_VALUE;
    }
    return Math.max(0, oldestNanos + maxDelayMs * 1_000_000L - nowNanos);
  }
}
