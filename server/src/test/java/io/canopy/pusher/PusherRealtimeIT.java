package io.canopy.pusher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.canopy.core.json.TreeJson;
import io.canopy.core.log.ChangeRecord;
import io.canopy.core.log.LogCodec;
import io.canopy.core.log.Origin;
import io.canopy.core.log.Partitions;
import io.canopy.core.log.WriteRecord;
import io.canopy.core.ops.WriteOp;
import io.canopy.core.path.Path;
import io.canopy.core.query.QueryIndex;
import io.canopy.core.query.QuerySpec;
import io.canopy.core.tree.Node;
import io.canopy.processor.Processor;
import io.canopy.processor.ProcessorConfig;
import io.canopy.pusher.ack.AckRouter;
import io.canopy.server.embedded.EmbeddedKafka;
import io.canopy.server.embedded.KafkaTopics;
import io.canopy.store.rocksdb.RocksDbTreeStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The realtime pusher end to end in one JVM: embedded Kafka, a RocksDB store, a real processor (with Nagle
 * batching, so the store lags the change log and views must replay) and the pusher, driven by write records
 * produced the way the gateway produces them, observed through recording transports.
 */
class PusherRealtimeIT {
  private static final int PARTITIONS = 2;
  private static final String WRITES = "it.writes";
  private static final String CHANGES = "it.changes";
  private static final String GATEWAY = "gw-it";
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final QuerySpec TOP_TWO =
      new QuerySpec(QueryIndex.child("score"), null, null, 2, QuerySpec.ViewFrom.RIGHT);

  @TempDir
  static java.nio.file.Path tmp;
  static EmbeddedKafka kafka;
  static RocksDbTreeStore store;
  static Processor processor;
  static Pusher pusher;
  static KafkaProducer<byte[], byte[]> producer;

  @BeforeAll
  static void start() {
    kafka = EmbeddedKafka.start(tmp.resolve("kafka"), 0);
    KafkaTopics.ensureTopics(kafka.bootstrapServers(), PARTITIONS, WRITES, CHANGES);
    store = RocksDbTreeStore.open(tmp.resolve("store"));
    processor = Processor.start(
        new ProcessorConfig(kafka.bootstrapServers(), WRITES, CHANGES, "it-processor", 200, 150), store);
    pusher = Pusher.start(new PusherConfig(kafka.bootstrapServers(), CHANGES, PARTITIONS, GATEWAY), store);
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    props.put(ProducerConfig.LINGER_MS_CONFIG, "0");
    producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
  }

  @AfterAll
  static void stop() {
    for (AutoCloseable c : new AutoCloseable[] {producer, pusher, processor, store, kafka}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception e) {
        // keep closing the rest
      }
    }
  }

  // ---- writes, as the gateway produces them ----

  private static Future<RecordMetadata> produce(String ns, WriteOp op, Origin origin) {
    WriteRecord w = new WriteRecord(ns, op, null, origin);
    int p = Partitions.forNamespace(ns, PARTITIONS);
    return producer.send(new ProducerRecord<>(WRITES, p, ns.getBytes(StandardCharsets.UTF_8), LogCodec.encode(w)));
  }

  private static void set(String ns, String path, String json) {
    produce(ns, new WriteOp.Set(Path.parse(path), TreeJson.parse(json)), Origin.NONE);
  }

  private static void merge(String ns, String path, Map<String, String> children) {
    Map<Path, Node> m = new LinkedHashMap<>();
    children.forEach((k, v) -> m.put(Path.parse(k), TreeJson.parse(v)));
    produce(ns, new WriteOp.Merge(Path.parse(path), m), Origin.NONE);
  }

  /** Writes and waits for the verdict, as a gateway does before acknowledging. */
  private static ChangeRecord setAndWait(String ns, String path, String json) {
    AckRouter.PendingWrite pw = pusher.acks().register();
    produce(ns, new WriteOp.Set(Path.parse(path), TreeJson.parse(json)), new Origin(GATEWAY, pw.requestId()));
    return join(pw.verdict());
  }

  private static <T> T join(CompletableFuture<T> f) {
    try {
      return f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    } catch (InterruptedException | ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String json(Node n) {
    return TreeJson.write(n, true);
  }

  /** What a client listening at {@code path} (with {@code tag}) holds after applying the pushes it received. */
  private static Node clientView(Recorder t, Path path, Long tag) {
    Node v = Node.empty();
    for (Object o : t.written()) {
      if (o instanceof DataPush push && Objects.equals(push.tag(), tag) && path.contains(push.path())) {
        Path rel = path.relativize(push.path());
        if (push.isMerge()) {
          for (Map.Entry<String, Node> e : push.mergeChildren().entrySet()) {
            v = v.set(rel.child(Path.parse(e.getKey())), e.getValue());
          }
        } else {
          v = v.set(rel, push.data());
        }
      }
    }
    return v;
  }

  private static void awaitConverged(Recorder t, String ns, String path, QuerySpec q, Long tag) {
    await().atMost(WAIT).untilAsserted(() -> assertThat(json(clientView(t, Path.parse(path), tag)))
        .isEqualTo(json(pusher.get(ns, Path.parse(path), q))));
  }

  private static CompletableFuture<Void> listenThenOk(PusherSession s, String ns, String path, QuerySpec q, Long tag) {
    CompletableFuture<Void> f = s.listen(ns, Path.parse(path), q, tag);
    return f.thenRun(() -> s.send("ok " + path + (tag == null ? "" : " #" + tag)));
  }

  // ---- tests ----

  @Test
  void initialDataThenLiveUpdatesForDefaultAndQueryListensAcrossTwoSessions() {
    String ns = "live";
    setAndWait(ns, "/room", "{\"a\":{\"score\":1},\"b\":{\"score\":5},\"c\":{\"score\":3}}");
    Recorder t1 = new Recorder();
    Recorder t2 = new Recorder();
    try (PusherSession s1 = pusher.openSession(t1); PusherSession s2 = pusher.openSession(t2)) {
      join(listenThenOk(s1, ns, "/room", QuerySpec.DEFAULT, null));
      join(listenThenOk(s2, ns, "/room", TOP_TWO, 4L));
      join(listenThenOk(s2, ns, "/room/a", QuerySpec.DEFAULT, null));
      // Queued in this order; delivery threads write them to the transports asynchronously.
      await().atMost(WAIT).untilAsserted(() -> assertThat(t1.log()).containsExactly(
          "d /room {\"a\":{\"score\":1},\"b\":{\"score\":5},\"c\":{\"score\":3}}", "ok /room"));
      await().atMost(WAIT).untilAsserted(() -> assertThat(t2.log()).containsExactly(
          "d /room {\"b\":{\"score\":5},\"c\":{\"score\":3}} #4", "ok /room #4",
          "d /room/a {\"score\":1}", "ok /room/a"));

      set(ns, "/room/d", "{\"score\":9}"); // enters the top two, c leaves
      set(ns, "/room/a/score", "2"); // outside the window
      merge(ns, "/room", Map.of("b/score", "0", "c/score", "7")); // b leaves, c comes back
      setAndWait(ns, "/elsewhere", "1");
      awaitConverged(t1, ns, "/room", QuerySpec.DEFAULT, null);
      awaitConverged(t2, ns, "/room", TOP_TWO, 4L);
      awaitConverged(t2, ns, "/room/a", QuerySpec.DEFAULT, null);
      assertThat(json(clientView(t2, Path.parse("/room"), 4L)))
          .isEqualTo("{\"c\":{\"score\":7},\"d\":{\"score\":9}}");
      assertThat(t1.log()).contains("d /room/d {\"score\":9}", "d /room/a/score 2",
          "m /room {b/score=0, c/score=7}");
      assertThat(t1.log()).noneMatch(l -> l.contains("elsewhere"));
      // the query listener got whole results only when its window changed, all tagged
      assertThat(t2.log()).filteredOn(l -> l.startsWith("d ") && l.endsWith("#4")).containsExactly(
          "d /room {\"b\":{\"score\":5},\"c\":{\"score\":3}} #4",
          "d /room {\"b\":{\"score\":5},\"d\":{\"score\":9}} #4",
          "d /room {\"c\":{\"score\":7},\"d\":{\"score\":9}} #4");
    }
  }

  @Test
  void theWritersOwnChangeReachesItsListensBeforeTheAck() {
    String ns = "echo";
    Recorder t = new Recorder();
    try (PusherSession s = pusher.openSession(t)) {
      join(listenThenOk(s, ns, "/doc", QuerySpec.DEFAULT, null));
      join(listenThenOk(s, ns, "/doc/items", TOP_TWO, 1L));
      List<CompletableFuture<Void>> acks = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        AckRouter.PendingWrite pw = pusher.acks().register();
        int n = i;
        // the gateway queues the ack when the verdict completes
        acks.add(pw.verdict().thenAccept(c -> s.send("ACK " + n)));
        produce(ns, new WriteOp.Set(Path.parse("/doc/items/i" + i), TreeJson.parse("{\"score\":" + i + "}")),
            new Origin(GATEWAY, pw.requestId()));
      }
      acks.forEach(PusherRealtimeIT::join);
      // queued in order; the delivery threads write them soon after
      await().atMost(WAIT).until(() -> t.log().stream().filter(l -> l.startsWith("ACK ")).count() == 20);
      List<String> log = t.log();
      for (int i = 0; i < 20; i++) {
        int ack = log.indexOf("ACK " + i);
        assertThat(ack).as("ack %d", i).isPositive();
        assertThat(log.indexOf("d /doc/items/i" + i + " {\"score\":" + i + "}"))
            .as("echo %d precedes its ack", i).isBetween(0, ack);
        String window = json(TreeJson.parse(i == 0 ? "{\"i0\":{\"score\":0}}"
            : "{\"i" + (i - 1) + "\":{\"score\":" + (i - 1) + "},\"i" + i + "\":{\"score\":" + i + "}}"));
        assertThat(log.indexOf("d /doc/items " + window + " #1")).as("query echo %d precedes its ack", i)
            .isBetween(0, ack);
        if (i > 0) {
          assertThat(log.indexOf("ACK " + (i - 1))).as("acks in write order").isLessThan(ack);
        }
      }
    }
  }

  @Test
  void everySessionSeesTheSameChangesInTheSameOrder() {
    String ns = "order";
    Recorder t1 = new Recorder();
    Recorder t2 = new Recorder();
    try (PusherSession s1 = pusher.openSession(t1); PusherSession s2 = pusher.openSession(t2)) {
      join(s1.listen(ns, Path.parse("/list"), QuerySpec.DEFAULT, null));
      join(s2.listen(ns, Path.parse("/list"), QuerySpec.DEFAULT, null));
      for (int i = 0; i < 150; i++) {
        if (i % 10 == 0) {
          merge(ns, "/list", Map.of("k" + (i % 7), String.valueOf(i), "m/k" + (i % 5), String.valueOf(i)));
        } else if (i % 13 == 0) {
          set(ns, "/", "{\"list\":{\"reset\":" + i + "}}");
        } else {
          set(ns, "/list/k" + (i % 7), String.valueOf(i));
        }
      }
      setAndWait(ns, "/list/done", "true");
      awaitConverged(t1, ns, "/list", QuerySpec.DEFAULT, null);
      awaitConverged(t2, ns, "/list", QuerySpec.DEFAULT, null);
      assertThat(t1.log()).hasSizeGreaterThan(100).isEqualTo(t2.log());
    }
  }

  @Test
  void aSlowConnectionIsResyncedWithSnapshotsAndConverges() {
    String ns = "slow";
    PusherConfig small = new PusherConfig(kafka.bootstrapServers(), CHANGES, PARTITIONS, "gw-slow")
        .withOutboxLimits(10, 1 << 20);
    try (Pusher tight = Pusher.start(small, store)) {
      Recorder slow = new Recorder();
      Recorder fast = new Recorder();
      PusherSession ss = tight.openSession(slow);
      PusherSession sf = tight.openSession(fast);
      join(ss.listen(ns, Path.parse("/feed"), QuerySpec.DEFAULT, null));
      join(ss.listen(ns, Path.parse("/feed"), TOP_TWO, 2L));
      join(sf.listen(ns, Path.parse("/feed"), QuerySpec.DEFAULT, null));
      slow.block();
      for (int i = 0; i < 100; i++) {
        set(ns, "/feed/k" + (i % 10), "{\"score\":" + i + "}");
        ss.send("reply " + i);
      }
      setAndWait(ns, "/feed/last", "{\"score\":-1}");
      await().atMost(WAIT).until(() -> ((Number) tight.stats().get("resyncs")).longValue() > 0);
      await().atMost(WAIT).until(() -> fast.log().contains("d /feed/last {\"score\":-1}"));
      assertThat(ss.queuedItems()).isLessThanOrEqualTo(10 + 100 + 2);
      slow.unblock();
      awaitConverged(slow, ns, "/feed", QuerySpec.DEFAULT, null);
      awaitConverged(slow, ns, "/feed", TOP_TWO, 2L);
      awaitConverged(fast, ns, "/feed", QuerySpec.DEFAULT, null);
      // replies are never dropped, and keep their order
      List<String> replies = slow.log().stream().filter(l -> l.startsWith("reply ")).toList();
      assertThat(replies).hasSize(100);
      for (int i = 0; i < 100; i++) {
        assertThat(replies.get(i)).isEqualTo("reply " + i);
      }
      assertThat(slow.written().size()).isLessThan(fast.written().size() + 100);
      Map<String, Object> stats = tight.stats();
      assertThat(((Number) stats.get("droppedPushes")).longValue()).isPositive();
      assertThat(((Number) stats.get("outboxDepthMax")).longValue()).isGreaterThanOrEqualTo(10);
      ss.close();
      sf.close();
    }
  }

  @Test
  void viewsAreSharedByListenersAndReleasedWhenTheLastOneLeaves() {
    String ns = "share";
    setAndWait(ns, "/s", "{\"x\":{\"score\":1},\"y\":{\"score\":2},\"z\":{\"score\":3}}");
    int views = ((Number) pusher.stats().get("views")).intValue();
    int listeners = ((Number) pusher.stats().get("listeners")).intValue();
    List<PusherSession> sessions = new ArrayList<>();
    List<Recorder> transports = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      Recorder t = new Recorder();
      PusherSession s = pusher.openSession(t);
      sessions.add(s);
      transports.add(t);
      join(s.listen(ns, Path.parse("/s"), QuerySpec.DEFAULT, null));
      join(s.listen(ns, Path.parse("/s"), TOP_TWO, (long) i));
    }
    Map<String, Object> stats = pusher.stats();
    assertThat(stats.get("views")).isEqualTo(views + 2);
    assertThat(stats.get("listeners")).isEqualTo(listeners + 10);
    setAndWait(ns, "/s/w", "{\"score\":4}");
    for (int i = 0; i < 5; i++) {
      Recorder t = transports.get(i);
      long tag = i;
      await().atMost(WAIT).until(() -> t.log().contains("d /s {\"w\":{\"score\":4},\"z\":{\"score\":3}} #" + tag));
    }
    // one push object computed once and shared by every default listener of the view
    Object first = transports.get(0).written().stream()
        .filter(o -> o instanceof DataPush p && p.path().equals(Path.parse("/s/w"))).findFirst().orElseThrow();
    for (Recorder t : transports) {
      assertThat(t.written()).anyMatch(o -> o == first);
    }
    assertThat(json(pusher.get(ns, Path.parse("/s"), TOP_TWO)))
        .isEqualTo("{\"w\":{\"score\":4},\"z\":{\"score\":3}}");
    sessions.get(0).unlisten(ns, Path.parse("/s"), TOP_TWO);
    for (PusherSession s : sessions.subList(1, 5)) {
      s.close();
    }
    await().atMost(WAIT).until(() -> pusher.stats().get("listeners").equals(listeners + 1));
    assertThat(pusher.stats().get("views")).isEqualTo(views + 1);
    sessions.get(0).close();
    await().atMost(WAIT).until(() -> pusher.stats().get("views").equals(views));
    assertThat(pusher.stats().get("listeners")).isEqualTo(listeners);
  }

  /** A transport that records what it gets and can stall like a congested socket. */
  static final class Recorder implements SessionTransport {
    private final List<Object> written = new ArrayList<>();
    private volatile boolean writable = true;
    private Runnable callback;

    @Override
    public synchronized void write(Object item) {
      written.add(item);
    }

    @Override
    public boolean writable() {
      return writable;
    }

    @Override
    public synchronized void onWritable(Runnable cb) {
      callback = cb;
    }

    void block() {
      writable = false;
    }

    void unblock() {
      writable = true;
      Runnable cb;
      synchronized (this) {
        cb = callback;
        callback = null;
      }
      if (cb != null) {
        cb.run();
      }
    }

    synchronized List<Object> written() {
      return new ArrayList<>(written);
    }

    synchronized List<String> log() {
      List<String> out = new ArrayList<>();
      for (Object o : written) {
        out.add(o instanceof DataPush p ? show(p) : String.valueOf(o));
      }
      return out;
    }

    private static String show(DataPush push) {
      String tag = push.tag() == null ? "" : " #" + push.tag();
      if (push.isMerge()) {
        Map<String, String> sorted = new java.util.TreeMap<>();
        push.mergeChildren().forEach((k, v) -> sorted.put(k, TreeJson.write(v, true)));
        return "m " + push.path() + " " + sorted + tag;
      }
      return "d " + push.path() + " " + TreeJson.write(push.data(), true) + tag;
    }
  }
}
