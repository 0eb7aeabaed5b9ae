package io.canopy.core.metrics;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * A lock-free histogram with fixed bucket bounds, for stage latencies and sizes exported to Prometheus
 * ({@code _bucket}/{@code _sum}/{@code _count}) and to {@code /.metrics.json} (count, mean and quantile
 * estimates). Recording is one bucket search and two {@link LongAdder} increments: cheap enough for every write.
 */
public final class Histogram {
  /** Latency bounds in milliseconds: 0.25 ms to 10 s. */
  public static final double[] LATENCY_MS = {0.25, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000,
      10000};
  /** Size bounds (items per batch and the like): 1 to 100,000. */
  public static final double[] SIZES = {1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 100000};

  private final String unit;
  private final double[] bounds;
  private final LongAdder[] counts;
  private final LongAdder count = new LongAdder();
  /** The sum in millionths of the unit, so fractional milliseconds add up exactly enough. */
  private final LongAdder sumMicros = new LongAdder();

  /**
   * @param unit what is recorded, for names and docs (e.g. {@code "ms"}, {@code "writes"})
   * @param bounds ascending upper bounds; a last {@code +Inf} bucket is implied
   */
  public Histogram(String unit, double[] bounds) {
    this.unit = unit;
    this.bounds = bounds.clone();
    for (int i = 1; i < bounds.length; i++) {
      if (!(bounds[i] > bounds[i - 1])) {
        throw new IllegalArgumentException("bounds must be ascending");
      }
    }
    this.counts = new LongAdder[bounds.length + 1];
    for (int i = 0; i < counts.length; i++) {
      counts[i] = new LongAdder();
    }
  }

  /** A latency histogram in milliseconds. */
  public static Histogram latencyMillis() {
    return new Histogram("ms", LATENCY_MS);
  }

  /** A size histogram (counts of items). */
  public static Histogram sizes(String unit) {
    return new Histogram(unit, SIZES);
  }

  public String unit() {
    return unit;
  }

  /** Records one value (negative values count as 0: clocks of different processes may disagree slightly). */
  public void record(double value) {
    double v = value < 0 ? 0 : value;
    int i = Arrays.binarySearch(bounds, v);
    int bucket = i >= 0 ? i : -i - 1;
    counts[bucket].increment();
    count.increment();
    sumMicros.add((long) (v * 1_000_000));
  }

  /** Records a duration given in nanoseconds, in milliseconds. */
  public void recordNanos(long nanos) {
    record(nanos / 1_000_000.0);
  }

  /** A consistent-enough copy (each counter is read once; concurrent records may land in the next one). */
  public Snapshot snapshot() {
    long[] c = new long[counts.length];
    for (int i = 0; i < c.length; i++) {
      c[i] = counts[i].sum();
    }
    return new Snapshot(unit, bounds.clone(), c, count.sum(), sumMicros.sum() / 1_000_000.0);
  }

  /**
   * One reading.
   *
   * @param bounds the buckets' upper bounds (the last bucket, {@code counts[bounds.length]}, is +Inf)
   * @param counts per bucket, not cumulative
   */
  public record Snapshot(String unit, double[] bounds, long[] counts, long count, double sum) {

    /** The value below which about {@code q} of the recordings fall (the bucket's upper bound). */
    public double quantile(double q) {
      if (count == 0) {
        return 0;
      }
      long rank = (long) Math.ceil(q * count);
      long seen = 0;
      for (int i = 0; i < counts.length; i++) {
        seen += counts[i];
        if (seen >= rank) {
          return i < bounds.length ? bounds[i] : Double.POSITIVE_INFINITY;
        }
      }
      return Double.POSITIVE_INFINITY;
    }

    /** For {@code /.metrics.json}: count, mean and p50/p90/p99 (bucket bounds), in the unit. */
    public Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("count", count);
      m.put("mean", count == 0 ? 0.0 : sum / count);
      m.put("p50", finite(quantile(0.5)));
      m.put("p90", finite(quantile(0.9)));
      m.put("p99", finite(quantile(0.99)));
      m.put("unit", unit);
      return m;
    }

    private double finite(double v) {
      return Double.isInfinite(v) ? (bounds.length == 0 ? 0 : bounds[bounds.length - 1]) : v;
    }
  }
}
