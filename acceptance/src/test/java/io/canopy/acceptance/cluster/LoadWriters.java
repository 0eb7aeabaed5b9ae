package io.canopy.acceptance.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.canopy.acceptance.testing.Json;
import io.canopy.acceptance.testing.RawClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Continuous writers over raw v5 connections, one per (namespace, gateway), each with one write in flight and a
 * short pause between writes. Write {@code seq} (1, 2, 3, ...) of writer {@code w} is one multi-path update of
 * {@code /load/<w>}: {@code log/s<seq> = seq} (a path of its own, so every acknowledged write can be checked) and
 * {@code k<seq % KEYS> = seq} (a path overwritten again and again, so the last acknowledged value counts). Every
 * acknowledged write is recorded (path → value); with one write in flight per writer, no unacknowledged write can
 * come after the last acknowledged one, so afterwards the expected value of every path is known exactly. A write that fails or gets no reply within {@link #REPLY_TIMEOUT} is recorded as a failure
 * and stops its writer (it may still be applied, which would make its paths' expected values uncertain).
 */
final class LoadWriters implements AutoCloseable {
  static final int KEYS = 4;
  /** Longer than a failover (session timeout + rebalance) and than the gateways' write timeout. */
  static final Duration REPLY_TIMEOUT = Duration.ofMillis(ClusterHarness.WRITE_TIMEOUT_MS + 15_000);
  private static final long PAUSE_MS = 25;
  private static final Executor PAUSE = CompletableFuture.delayedExecutor(PAUSE_MS, TimeUnit.MILLISECONDS);

  /** A path of one namespace. */
  record Key(String namespace, String path) {}

  private final List<Writer> writers = new ArrayList<>();
  private final Map<Key, Long> acked = new ConcurrentHashMap<>();
  private final List<String> failures = new CopyOnWriteArrayList<>();
  private final AtomicLong slowestAckNanos = new AtomicLong();

  private LoadWriters() {}

  /** Connects one writer per namespace and gateway and starts them all. */
  static LoadWriters start(List<String> namespaces, List<ClusterNode> gateways) {
    LoadWriters load = new LoadWriters();
    try {
      for (String ns : namespaces) {
        for (ClusterNode gateway : gateways) {
          String name = "w-" + gateway.name();
          RawClient client = RawClient.connect(gateway.wsUri(ns), ns + "/" + name, null);
          load.writers.add(load.new Writer(ns, name, client));
        }
      }
    } catch (RuntimeException | Error e) {
      load.close();
      throw e;
    }
    load.writers.forEach(Writer::next);
    return load;
  }

  /** Acknowledged writes per writer ({@code ns/w-gateway}), in start order. */
  Map<String, Long> acks() {
    Map<String, Long> out = new LinkedHashMap<>();
    writers.forEach(w -> out.put(w.client.name(), w.acks.get()));
    return out;
  }

  long totalAcks() {
    return writers.stream().mapToLong(w -> w.acks.get()).sum();
  }

  /** The longest time an acknowledged write waited for its acknowledgement. */
  Duration slowestAck() {
    return Duration.ofNanos(slowestAckNanos.get());
  }

  /** Waits until every writer has at least {@code atLeast} more acknowledged writes than in {@code before}. */
  void awaitEveryWriterProgressed(Map<String, Long> before, long atLeast, Duration timeout) {
    await("every writer acknowledged " + atLeast + " more writes").atMost(timeout)
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(() -> {
          assertThat(failures).as("failed writes").isEmpty();
          Map<String, Long> now = acks();
          List<String> behind = new ArrayList<>();
          now.forEach((writer, n) -> {
            if (n < before.getOrDefault(writer, 0L) + atLeast) {
              behind.add(writer + " " + before.getOrDefault(writer, 0L) + "→" + n);
            }
          });
          assertThat(behind).as("writers without progress (acks before→now)").isEmpty();
        });
  }

  /** Stops issuing writes and waits until every writer's write in flight has its reply (or failed). */
  void stop() {
    writers.forEach(w -> w.running = false);
    CompletableFuture<?>[] done = writers.stream().map(w -> w.stopped).toArray(CompletableFuture[]::new);
    try {
      CompletableFuture.allOf(done).get(REPLY_TIMEOUT.toMillis() + 5_000, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("writers did not stop: a write got no reply within " + REPLY_TIMEOUT);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** The last acknowledged value of every path written. */
  Map<Key, Long> acknowledged() {
    return Map.copyOf(acked);
  }

  /** Failed or timed-out writes (each with its writer, path and cause). */
  List<String> failures() {
    return List.copyOf(failures);
  }

  /**
   * Asserts that every acknowledged write is readable through {@code gateway}'s REST API with its last acknowledged
   * value. Call after {@link #stop}.
   */
  static void assertReadable(Map<Key, Long> acknowledged, ClusterNode gateway) {
    Map<String, JsonNode> trees = new LinkedHashMap<>();
    List<String> lost = new ArrayList<>();
    acknowledged.forEach((key, value) -> {
      JsonNode tree = trees.computeIfAbsent(key.namespace(), ns -> gateway.rest().get(ns, "/"));
      JsonNode got = Json.at(tree, key.path());
      if (!got.isNumber() || got.asLong() != value) {
        lost.add(key.namespace() + key.path() + " acknowledged " + value + ", read " + got);
      }
    });
    assertThat(lost).as("acknowledged writes not readable with their last acknowledged value through %s (of %s)",
        gateway.name(), acknowledged.size()).isEmpty();
  }

  @Override
  public void close() {
    writers.forEach(w -> {
      w.running = false;
      w.client.abort();
    });
  }

  private final class Writer {
    private final String namespace;
    private final String name;
    private final RawClient client;
    private final AtomicLong acks = new AtomicLong();
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private volatile boolean running = true;
    private long seq;

    Writer(String namespace, String name, RawClient client) {
      this.namespace = namespace;
      this.name = name;
      this.client = client;
    }

    /** Sends the next write; its reply schedules the one after (one write in flight). */
    void next() {
      if (!running) {
        stopped.complete(null);
        return;
      }
      long value = ++seq;
      String path = "/load/" + name;
      String log = "log/s" + value;
      String key = "k" + (value % KEYS);
      ObjectNode update = Json.object();
      update.put(log, value);
      update.put(key, value);
      CompletableFuture<JsonNode> reply;
      long sent = System.nanoTime();
      try {
        reply = client.merge(path, update);
      } catch (RuntimeException e) {
        failures.add(client.name() + " " + path + "=" + value + ": " + e);
        stopped.complete(null);
        return;
      }
      reply.orTimeout(REPLY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).whenComplete((body, error) -> {
        if (error == null && body.path("s").asText().equals("ok")) {
          acked.put(new Key(namespace, path + "/" + log), value);
          acked.put(new Key(namespace, path + "/" + key), value);
          acks.incrementAndGet();
          slowestAckNanos.accumulateAndGet(System.nanoTime() - sent, Math::max);
        } else {
          // The write may still be applied later: stop this writer, so its last acknowledged values stay exact.
          failures.add(client.name() + " " + path + "=" + value + ": "
              + (error != null ? String.valueOf(error) : Json.write(body)));
          running = false;
        }
        PAUSE.execute(this::next);
      });
    }
  }
}
