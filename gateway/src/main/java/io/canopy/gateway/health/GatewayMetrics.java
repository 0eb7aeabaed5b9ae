package io.canopy.gateway.health;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

/**
 * The gateway's counters since start. Lock-free: recorded from event loops and Kafka threads, read by
 * {@code /.metrics.json}. Write latency is measured from the request being parsed to its verdict (the whole
 * gateway → Kafka → processor → pusher round trip).
 */
public final class GatewayMetrics {
  private final ConcurrentMap<String, LongAdder> requests = new ConcurrentHashMap<>();
  private final LongAdder accepted = new LongAdder();
  private final LongAdder rejected = new LongAdder();
  private final LongAdder failed = new LongAdder();
  private final LongAdder verdicts = new LongAdder();
  private final LongAdder latencyNanos = new LongAdder();
  private final LongAccumulator maxLatencyNanos = new LongAccumulator(Math::max, 0);

  /** One request of the given verb (or protocol action). */
  public void request(String method) {
    requests.computeIfAbsent(method, m -> new LongAdder()).increment();
  }

  /** A write the processor accepted, {@code nanos} after it was taken. */
  public void writeAccepted(long nanos) {
    accepted.increment();
    verdict(nanos);
  }

  /** A write the processor rejected (e.g. datastale, permission denied). */
  public void writeRejected(long nanos) {
    rejected.increment();
    verdict(nanos);
  }

  /** A write that got no verdict: Kafka refused it or it timed out. */
  public void writeFailed() {
    failed.increment();
  }

  private void verdict(long nanos) {
    verdicts.increment();
    latencyNanos.add(nanos);
    maxLatencyNanos.accumulate(nanos);
  }

  /** A JSON-ready view: {@code requests}, {@code writes} and {@code writeLatencyMs}. */
  public Map<String, Object> snapshot() {
    Map<String, Object> out = new LinkedHashMap<>();
    Map<String, Long> byMethod = new TreeMap<>();
    requests.forEach((m, n) -> byMethod.put(m, n.sum()));
    out.put("requests", byMethod);
    Map<String, Object> writes = new LinkedHashMap<>();
    writes.put("accepted", accepted.sum());
    writes.put("rejected", rejected.sum());
    writes.put("failed", failed.sum());
    out.put("writes", writes);
    long n = verdicts.sum();
    Map<String, Object> latency = new LinkedHashMap<>();
    latency.put("count", n);
    latency.put("mean", n == 0 ? 0.0 : millis(latencyNanos.sum()) / n);
    latency.put("max", millis(maxLatencyNanos.get()));
    out.put("writeLatencyMs", latency);
    return out;
  }

  private static double millis(long nanos) {
    return nanos / (double) TimeUnit.MILLISECONDS.toNanos(1);
  }
}
