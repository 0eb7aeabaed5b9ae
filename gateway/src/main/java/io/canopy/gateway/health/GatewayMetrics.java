package io.canopy.gateway.health;

import io.canopy.core.metrics.Histogram;
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
  /** Accepted or rejected writes, from taking the request to its verdict (REST and WebSocket). */
  private final Histogram verdictLatency = Histogram.latencyMillis();
  private final LongAccumulator maxLatencyNanos = new LongAccumulator(Math::max, 0);
  private final LongAdder wsOpened = new LongAdder();
  private final LongAdder wsClosed = new LongAdder();
  private final LongAdder wsMessagesIn = new LongAdder();
  private final LongAdder wsSplitIn = new LongAdder();
  private final LongAdder wsMessagesOut = new LongAdder();
  private final LongAdder wsSplitOut = new LongAdder();
  private final LongAdder wsFramesOut = new LongAdder();
  /** Times a connection stopped reading because its socket could not take what it was sent. */
  private final LongAdder wsReadPauses = new LongAdder();
  private final ConcurrentMap<String, LongAdder> wsRequests = new ConcurrentHashMap<>();

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

  /** A {@code /.ws} connection opened (its handshake was sent). */
  public void webSocketOpened() {
    wsOpened.increment();
  }

  /** A {@code /.ws} connection that was {@link #webSocketOpened opened} closed. */
  public void webSocketClosed() {
    wsClosed.increment();
  }

  /** A protocol message received on {@code /.ws}, re-assembled from {@code frames} frames (1 if not split). */
  public void webSocketMessageIn(int frames) {
    wsMessagesIn.increment();
    if (frames > 1) {
      wsSplitIn.increment();
    }
  }

  /** A protocol message sent on {@code /.ws} in {@code frames} frames (count frame included when split). */
  public void webSocketMessageOut(int frames) {
    wsMessagesOut.increment();
    wsFramesOut.add(frames);
    if (frames > 1) {
      wsSplitOut.increment();
    }
  }

  /** One {@code /.ws} request of the given action ({@code q}, {@code p}, ...). */
  /** A connection stopped reading until its socket drains (its client reads slower than it is sent to). */
  public void webSocketReadPaused() {
    wsReadPauses.increment();
  }

  public void webSocketRequest(String action) {
    wsRequests.computeIfAbsent(action, a -> new LongAdder()).increment();
  }

  private void verdict(long nanos) {
    verdicts.increment();
    latencyNanos.add(nanos);
    maxLatencyNanos.accumulate(nanos);
    verdictLatency.recordNanos(nanos);
  }

  /** Request → verdict latency of writes (the whole pipeline as a writer sees it). */
  public Histogram verdictLatency() {
    return verdictLatency;
  }

  /** A JSON-ready view: {@code requests}, {@code writes}, {@code writeLatencyMs} and {@code webSocket}. */
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
    out.put("writeVerdictMs", verdictLatency.snapshot());
    out.put("webSocket", webSocketSnapshot());
    return out;
  }

  private Map<String, Object> webSocketSnapshot() {
    Map<String, Object> ws = new LinkedHashMap<>();
    long opened = wsOpened.sum();
    ws.put("open", opened - wsClosed.sum());
    ws.put("opened", opened);
    ws.put("messagesIn", wsMessagesIn.sum());
    ws.put("splitMessagesIn", wsSplitIn.sum());
    ws.put("messagesOut", wsMessagesOut.sum());
    ws.put("splitMessagesOut", wsSplitOut.sum());
    ws.put("framesOut", wsFramesOut.sum());
    ws.put("readPausesForOutput", wsReadPauses.sum());
    Map<String, Long> byAction = new TreeMap<>();
    wsRequests.forEach((a, n) -> byAction.put(a, n.sum()));
    ws.put("requests", byAction);
    return ws;
  }

  private static double millis(long nanos) {
    return nanos / (double) TimeUnit.MILLISECONDS.toNanos(1);
  }
}
