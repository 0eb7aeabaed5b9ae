package io.canopy.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.canopy.gateway.GatewayServer;
import io.canopy.gateway.limits.LimitsConfig;
import io.canopy.gateway.limits.Rate;
import io.canopy.processor.Processor;
import io.canopy.pusher.Pusher;
import io.canopy.server.embedded.EmbeddedKafka;
import io.canopy.server.embedded.KafkaTopics;
import io.canopy.server.testing.RestClient;
import io.canopy.server.testing.RestClient.Response;
import io.canopy.store.TreeStore;
import io.canopy.store.rocksdb.RocksDbTreeStore;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.http.WebSocketFrameType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every limit of DESIGN §5 and the gateway's rate limits and connection cap, one readable case each, over real
 * WebSocket and HTTP against a full server (embedded Kafka, RocksDB, processor, pusher, gateway) started with small
 * limits. The REST rate limit and the event-stream cap need {@code GatewayLimits#restAdmission} mounted by
 * {@link GatewayServer}; until it is, those two cases are skipped (they say so).
 */
class LimitsIT {
  static final ObjectMapper JSON = new ObjectMapper();
  static final long WAIT_SECONDS = 20;

  private static final int MAX_CONNECTIONS = 8;
  private static final LimitsConfig LIMITS = LimitsConfig.defaults()
      .withMaxConnections(MAX_CONNECTIONS)
      .withWsMessages(new Rate(20, 40))
      .withWsFloodFrames(new Rate(1_000, 2_000))
      .withNamespaceWrites(new Rate(1, 10));

  @TempDir
  static Path dir;

  private static Fixture server;
  private static RestClient rest;
  private final List<WsProbe> open = new ArrayList<>();

  @BeforeAll
  static void start() {
    server = Fixture.start(dir, LIMITS);
    rest = new RestClient(server.url());
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  @AfterEach
  void closeProbes() {
    open.forEach(WsProbe::close);
    // the server counts a connection until it has seen it close
    await().atMost(WAIT_SECONDS, TimeUnit.SECONDS).until(() -> openConnections() == 0);
  }

  private WsProbe connect(String ns) {
    WsProbe p = WsProbe.connect(server.port(), "v=5&ns=" + ns);
    open.add(p);
    return p;
  }

  private static int openConnections() {
    return rest.get("/.metrics.json").json().at("/gateway/webSocket/open").asInt();
  }

  // ---- DESIGN §5: data limits, over WebSocket and REST ----

  @Test
  void keysOver768BytesOrWithForbiddenCharactersAreRefusedOnTheirRequest() {
    WsProbe ws = connect("limits-keys");
    String key768 = "é".repeat(384); // 768 bytes
    String key769 = key768 + "x";
    assertThat(ws.status(ws.request("p", "{\"p\":\"/k/" + key768 + "\",\"d\":1}"))).isEqualTo("ok");
    JsonNode tooLong = ws.reply(ws.request("p", "{\"p\":\"/k/" + key769 + "\",\"d\":1}"));
    assertThat(tooLong.at("/b/s").asText()).isEqualTo("invalid_path");
    assertThat(tooLong.at("/b/d").asText()).contains("longer than 768 bytes").hasSizeLessThanOrEqualTo(1_000);
    JsonNode inData = ws.reply(ws.request("p", "{\"p\":\"/k\",\"d\":{\"" + key769 + "\":1}}"));
    assertThat(inData.at("/b/s").asText()).isEqualTo("invalid_data");
    for (String bad : List.of("a.b", "a$b", "a#b", "a[b", "a]b", "a\\u0001b", "a\\u007fb")) {
      assertThat(ws.status(ws.request("p", "{\"p\":\"/k\",\"d\":{\"" + bad + "\":1}}"))).as(bad)
          .isEqualTo("invalid_data");
    }
    assertThat(ws.isOpen()).isTrue();

    Response rest769 = rest.put("/k/" + enc(key769) + ".json?ns=limits-keys", "1");
    assertThat(rest769.status()).isEqualTo(400);
    assertThat(rest769.json().get("error").asText()).contains("768 bytes");
    assertThat(rest.put("/k.json?ns=limits-keys", "{\"a.b\":1}").status()).isEqualTo(400);
    assertThat(rest.get("/k/" + enc(key768) + ".json?ns=limits-keys").body()).isEqualTo("1");
  }

  @Test
  void pathsAndDataDeeperThan32AreRefused() {
    WsProbe ws = connect("limits-depth");
    String path32 = "/a".repeat(32);
    assertThat(ws.status(ws.request("p", "{\"p\":\"" + path32 + "\",\"d\":1}"))).isEqualTo("ok");
    assertThat(ws.status(ws.request("p", "{\"p\":\"" + path32 + "/b\",\"d\":1}"))).isEqualTo("invalid_path");
    // 31 levels of path + 2 of data = 33
    JsonNode deep = ws.reply(ws.request("p", "{\"p\":\"" + "/a".repeat(31) + "\",\"d\":{\"x\":{\"y\":1}}}"));
    assertThat(deep.at("/b/s").asText()).isEqualTo("invalid_data");
    assertThat(deep.at("/b/d").asText()).contains("nested too deeply");
    // nesting far beyond any limit is refused by the parser, on the request
    String nested = "{\"x\":".repeat(5_000) + "1" + "}".repeat(5_000);
    assertThat(ws.status(ws.request("p", "{\"p\":\"/n\",\"d\":" + nested + "}"))).isEqualTo("invalid_data");
    assertThat(ws.isOpen()).isTrue();

    assertThat(rest.put(path32 + "/b.json?ns=limits-depth", "1").status()).isEqualTo(400);
    assertThat(rest.put("/n.json?ns=limits-depth", nested).status()).isEqualTo(400);
    assertThat(rest.put("/n.json?ns=limits-depth", "{\"a\":".repeat(33) + "1" + "}".repeat(33)).status())
        .isEqualTo(400);
  }

  @Test
  void stringsOver10MbAreRefused() {
    WsProbe ws = connect("limits-strings");
    String big = "x".repeat(10 * 1024 * 1024 + 1);
    JsonNode reply = ws.reply(ws.request("p", "{\"p\":\"/s\",\"d\":\"" + big + "\"}"));
    assertThat(reply.at("/b/s").asText()).isEqualTo("invalid_data");
    assertThat(reply.at("/b/d").asText()).contains("10 MB");
    assertThat(ws.status(ws.request("p", "{\"p\":\"/s\",\"d\":\"small\"}"))).isEqualTo("ok");
    assertThat(rest.put("/s.json?ns=limits-strings", "\"" + big + "\"").status()).isEqualTo(400);
  }

  @Test
  void webSocketMessagesOver16MbAreTooBig() {
    WsProbe ws = connect("limits-size");
    String huge = "x".repeat(16 * 1024 * 1024 + 64 * 1024);
    JsonNode reply = ws.reply(ws.request("p", "{\"p\":\"/s\",\"d\":\"" + huge + "\"}"));
    assertThat(reply.at("/b/s").asText()).isEqualTo("too_big");
    assertThat(ws.status(ws.request("s", "{}"))).isEqualTo("ok");
  }

  // ---- malformed frames ----

  @Test
  void framesThatAreNoRequestGetAnErrorNoticeAndTheConnectionStays() {
    WsProbe ws = connect("limits-frames");
    ws.sendBinary(new byte[] {(byte) 0xff, (byte) 0xfe, 0x00});
    assertThat(ws.notice()).contains("binary WebSocket frames are not supported");
    ws.send("not json at all");
    assertThat(ws.notice()).contains("Invalid JSON");
    ws.send("{\"t\":\"d\",\"d\":{\"a\":\"p\",\"b\":{\"p\":\"/x\",\"d\":1}}}");
    assertThat(ws.notice()).contains("no integer request number");
    ws.send("{\"t\":\"d\",\"d\":{\"r\":123456789012345678901234567890,\"a\":\"s\",\"b\":{}}}");
    assertThat(ws.notice()).contains("request number");
    ws.send("1e9"); // announces a billion pieces
    assertThat(ws.notice()).contains("Invalid frame count 1e9");
    // what follows is read as messages again
    assertThat(ws.status(ws.request("zz", "{}"))).isEqualTo("invalid_data");
    long truncated = ws.nextR();
    ws.send("{\"t\":\"d\",\"d\":{\"r\":" + truncated + ",\"a\":\"p\",\"b\":{\"p\":\"/x\",\"d\":{\"a\"");
    assertThat(ws.status(truncated)).isEqualTo("invalid_data");
    assertThat(ws.status(ws.request("s", "{}"))).isEqualTo("ok");
    assertThat(ws.isOpen()).isTrue();
  }

  // ---- rate limits and the connection cap ----

  @Test
  void requestsOverTheConnectionsRateAreAnsweredUnavailableAndTheConnectionStays() {
    WsProbe ws = connect("limits-rate");
    List<Long> sent = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      sent.add(ws.request("s", "{}"));
    }
    int ok = 0;
    int refused = 0;
    for (long r : sent) {
      JsonNode b = ws.reply(r).get("b");
      if (b.get("s").asText().equals("ok")) {
        ok++;
      } else {
        assertThat(b.get("s").asText()).isEqualTo("unavailable");
        assertThat(b.get("d").asText()).startsWith("Too many requests");
        refused++;
      }
    }
    assertThat(ok).isBetween(40, 80); // the burst, plus what refilled while they were handled
    assertThat(refused).isEqualTo(100 - ok);
    await().pollDelay(Duration.ofMillis(200)).atMost(WAIT_SECONDS, TimeUnit.SECONDS)
        .until(() -> ws.status(ws.request("s", "{}")).equals("ok"));
    assertThat(ws.isOpen()).isTrue();
  }

  @Test
  void aFloodIsClosedWithAReasonAndTheServerStaysHealthy() {
    WsProbe ws = connect("limits-flood");
    ws.request("p", "{\"p\":\"/before\",\"d\":\"kept\"}");
    for (int i = 0; i < 5_000 && ws.isOpen(); i++) {
      ws.sendNoWait("0");
    }
    WsProbe.Closed closed = ws.awaitClose();
    assertThat(closed.code()).isEqualTo((short) 1008);
    assertThat(closed.reason()).startsWith("too many messages");
    // what was sent before the flood was acted on
    await().atMost(WAIT_SECONDS, TimeUnit.SECONDS)
        .until(() -> rest.get("/before.json?ns=limits-flood").body().equals("\"kept\""));
    assertThat(rest.get("/health").status()).isEqualTo(200);
    WsProbe fresh = connect("limits-flood");
    assertThat(fresh.status(fresh.request("s", "{}"))).isEqualTo("ok");
  }

  @Test
  void aNamespacesWriteBudgetIsSharedByItsConnections() {
    WsProbe a = connect("limits-ns");
    WsProbe b = connect("limits-ns");
    WsProbe other = connect("limits-ns-other");
    List<long[]> writes = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      writes.add(new long[] {0, a.request("p", "{\"p\":\"/a/" + i + "\",\"d\":" + i + "}")});
      writes.add(new long[] {1, b.request("p", "{\"p\":\"/b/" + i + "\",\"d\":" + i + "}")});
    }
    int accepted = 0;
    for (long[] w : writes) {
      JsonNode reply = (w[0] == 0 ? a : b).reply(w[1]);
      String s = reply.at("/b/s").asText();
      if (s.equals("ok")) {
        accepted++;
      } else {
        assertThat(s).isEqualTo("unavailable");
        assertThat(reply.at("/b/d").asText()).contains("writes to namespace \"limits-ns\" are limited");
      }
    }
    assertThat(accepted).isBetween(10, 14); // the burst, plus what refilled meanwhile
    assertThat(other.status(other.request("p", "{\"p\":\"/x\",\"d\":1}"))).isEqualTo("ok");
    // reads are not writes
    assertThat(a.status(a.request("g", "{\"p\":\"/a\",\"q\":{}}"))).isEqualTo("ok");
  }

  @Test
  void upgradesBeyondTheConnectionCapGet503AndAFreedPlaceIsReused() {
    List<WsProbe> full = new ArrayList<>();
    for (int i = 0; i < MAX_CONNECTIONS; i++) {
      full.add(connect("limits-cap"));
    }
    UpgradeRejectedException refused = WsProbe.refusedUpgrade(server.port(), "v=5&ns=limits-cap");
    assertThat(refused.getStatus()).isEqualTo(503);
    assertThat(refused.getBody().toString()).contains("Too many connections");
    assertThat(rest.get("/health").status()).isEqualTo(200);
    assertThat(full.get(0).status(full.get(0).request("s", "{}"))).isEqualTo("ok");

    full.get(0).close();
    await().atMost(WAIT_SECONDS, TimeUnit.SECONDS).until(() -> openConnections() < MAX_CONNECTIONS);
    WsProbe next = connect("limits-cap");
    assertThat(next.status(next.request("s", "{}"))).isEqualTo("ok");
  }

  @Test
  void restWritesOverTheNamespaceBudgetAre429() {
    int refused = 0;
    for (int i = 0; i < 20; i++) {
      Response r = rest.put("/r/" + i + ".json?ns=limits-rest", String.valueOf(i));
      if (r.status() == 429) {
        refused++;
        assertThat(r.json().get("error").asText()).startsWith("Too many requests");
      } else {
        assertThat(r.status()).isEqualTo(200);
      }
    }
    assertThat(refused).isGreaterThanOrEqualTo(8);
    assertThat(rest.get("/r.json?ns=limits-rest").status()).as("reads are not limited").isEqualTo(200);
  }

  static String enc(String s) {
    return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  // ---- fixtures, shared with HostileInputFuzzIT ----

  /**
   * A whole server as {@link CanopyServer} wires it (embedded Kafka, RocksDB, processor, pusher, gateway), but with
   * the gateway's limits given here: the launcher has no flags for them yet.
   */
  static final class Fixture implements AutoCloseable {
    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private GatewayServer gateway;

    static Fixture start(Path dir, LimitsConfig limits) {
      Fixture f = new Fixture();
      try {
        ServerConfig config = ServerConfig.parse(List.of(), Map.of()).withDataDir(dir)
            .withListen("127.0.0.1", 0);
        EmbeddedKafka kafka = EmbeddedKafka.start(config.kafkaDir(), 0, Map.of(
            "message.max.bytes", String.valueOf(64 * 1024 * 1024),
            "replica.fetch.max.bytes", String.valueOf(64 * 1024 * 1024)));
        f.started.push(kafka);
        String bootstrap = kafka.bootstrapServers();
        KafkaTopics.ensureTopics(bootstrap, config.partitions(), ServerConfig.WRITES_TOPIC,
            ServerConfig.CHANGES_TOPIC);
        TreeStore store = RocksDbTreeStore.open(config.storeDir());
        f.started.push(store);
        f.started.push(Processor.start(config.processorConfig(bootstrap), store));
        Pusher pusher = Pusher.start(config.pusherConfig(bootstrap, "gw-limits"), store);
        f.started.push(pusher);
        f.gateway = GatewayServer.start(config.gatewayConfig(bootstrap).withLimits(limits), pusher, null);
        f.started.push(f.gateway);
        return f;
      } catch (RuntimeException | Error e) {
        f.close();
        throw e;
      }
    }

    int port() {
      return gateway.port();
    }

    String url() {
      return "http://127.0.0.1:" + port();
    }

    @Override
    public void close() {
      while (!started.isEmpty()) {
        try {
          started.pop().close();
        } catch (Exception e) {
          // keep closing the rest
        }
      }
    }
  }

  /**
   * A raw v5 WebSocket client: sends frames exactly as told (also binary and invalid ones), re-assembles the
   * server's split messages, and files replies by request number, error notices and the close.
   */
  static final class WsProbe implements AutoCloseable {
    private static final Vertx VERTX = Vertx.vertx();
    private static final WebSocketClient CLIENT = VERTX.createWebSocketClient(new WebSocketClientOptions()
        .setMaxFrameSize(65_536).setMaxMessageSize(65_536).setConnectTimeout(10_000));

    record Closed(short code, String reason) {}

    final List<String> violations = new CopyOnWriteArrayList<>();
    private final Map<Long, List<JsonNode>> replies = new ConcurrentHashMap<>();
    private final BlockingQueue<String> notices = new LinkedBlockingQueue<>();
    private final CompletableFuture<Closed> closed = new CompletableFuture<>();
    private volatile WebSocket ws;
    private long nextRequest = 1;
    private int expected;
    private final StringBuilder pieces = new StringBuilder();
    private int received;

    private WsProbe() {}

    static WsProbe connect(int port, String query) {
      WsProbe p = new WsProbe();
      CompletableFuture<Void> hello = new CompletableFuture<>();
      p.ws = get(CLIENT.webSocket()
          .frameHandler(frame -> p.onFrame(frame, hello))
          .closeHandler(v -> p.onClose())
          .connect(options(port, query)));
      get(hello);
      return p;
    }

    /** The refusal of an upgrade the server must refuse. */
    static UpgradeRejectedException refusedUpgrade(int port, String query) {
      try {
        CLIENT.connect(options(port, query)).toCompletionStage().toCompletableFuture()
            .get(WAIT_SECONDS, TimeUnit.SECONDS).close();
      } catch (ExecutionException e) {
        if (e.getCause() instanceof UpgradeRejectedException u) {
          return u;
        }
        throw new AssertionError("the upgrade failed otherwise", e.getCause());
      } catch (InterruptedException | TimeoutException e) {
        throw new AssertionError(e);
      }
      throw new AssertionError("the upgrade was accepted");
    }

    private static WebSocketConnectOptions options(int port, String query) {
      return new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/.ws?" + query);
    }

    private void onFrame(WebSocketFrame frame, CompletableFuture<Void> hello) {
      if (frame.type() == WebSocketFrameType.CLOSE) {
        return;
      }
      if (frame.type() != WebSocketFrameType.TEXT || !frame.isFinal()) {
        violations.add("a " + frame.type() + " frame");
        return;
      }
      String text = frame.textData();
      if (expected == 0 && text.length() <= 6 && text.matches("\\d+")) {
        expected = Integer.parseInt(text);
        if (expected == 0) {
          violations.add("a 0 frame");
        }
        return;
      }
      if (expected > 0) {
        pieces.append(text);
        if (++received < expected) {
          return;
        }
        text = pieces.toString();
        pieces.setLength(0);
        received = 0;
        expected = 0;
      }
      JsonNode m;
      try {
        m = JSON.readTree(text);
      } catch (IOException e) {
        violations.add("unparsable: " + text);
        return;
      }
      JsonNode d = m.path("d");
      if ("c".equals(m.path("t").asText())) {
        switch (d.path("t").asText()) {
          case "h" -> hello.complete(null);
          case "e" -> notices.add(d.path("d").asText());
          default -> { }
        }
      } else if (d.has("r")) {
        if (!d.get("r").isIntegralNumber() || !d.at("/b/s").isTextual()
            || (!"ok".equals(d.at("/b/s").asText()) && !d.at("/b/d").isTextual())) {
          violations.add("a badly shaped reply: " + text);
        }
        replies.computeIfAbsent(d.get("r").asLong(), r -> new CopyOnWriteArrayList<>()).add(d);
        synchronized (this) {
          notifyAll();
        }
      }
    }

    private void onClose() {
      WebSocket w = ws;
      Short code = w == null ? null : w.closeStatusCode();
      closed.complete(new Closed(code == null ? -1 : code, w == null ? null : w.closeReason()));
      synchronized (this) {
        notifyAll();
      }
    }

    boolean isOpen() {
      return !closed.isDone();
    }

    long nextR() {
      return nextRequest++;
    }

    /** Sends {@code {"t":"d","d":{"r":<next>,"a":action,"b":body}}}; returns its request number. */
    long request(String action, String body) {
      long r = nextR();
      send("{\"t\":\"d\",\"d\":{\"r\":" + r + ",\"a\":\"" + action + "\",\"b\":" + body + "}}");
      return r;
    }

    /** Sends a message as the SDKs do: one frame, or a count and 16,384-character pieces. */
    void send(String message) {
      if (message.length() <= 16_384) {
        sendNoWait(message);
        return;
      }
      List<String> parts = new ArrayList<>();
      for (int start = 0; start < message.length(); ) {
        int end = Math.min(start + 16_384, message.length());
        parts.add(message.substring(start, end));
        start = end;
      }
      sendNoWait(String.valueOf(parts.size()));
      parts.forEach(this::sendNoWait);
    }

    /** One text frame, not waiting for it to be written. */
    void sendNoWait(String frame) {
      ws.writeTextMessage(frame);
    }

    void sendBinary(byte[] bytes) {
      ws.writeBinaryMessage(Buffer.buffer(bytes));
    }

    /** A text message whose bytes are not UTF-8: a text frame continued by a frame of raw bytes. */
    void sendInvalidUtf8(byte[] bytes) {
      ws.writeFrame(WebSocketFrame.textFrame("{\"t\":\"d\",\"d\":\"", false));
      ws.writeFrame(WebSocketFrame.continuationFrame(Buffer.buffer(bytes), true));
    }

    /** The first reply to {@code r}, waiting for it. */
    JsonNode reply(long r) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
      synchronized (this) {
        while (replies(r).isEmpty()) {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            throw new AssertionError("no reply to request " + r + " within " + WAIT_SECONDS + " s"
                + (isOpen() ? "" : " (the connection closed: " + closed.join() + ")"));
          }
          try {
            TimeUnit.NANOSECONDS.timedWait(this, Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)));
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
          }
        }
      }
      return replies(r).get(0);
    }

    /** The status of the reply to {@code r}, waiting for it. */
    String status(long r) {
      return reply(r).at("/b/s").asText();
    }

    /** Every reply to {@code r} so far. */
    List<JsonNode> replies(long r) {
      return replies.getOrDefault(r, List.of());
    }

    /** The next error notice ({@code {"t":"c","d":{"t":"e",...}}}), waiting for it. */
    String notice() {
      try {
        String n = notices.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        if (n == null) {
          throw new AssertionError("no error notice within " + WAIT_SECONDS + " s");
        }
        return n;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }

    /** Notices received and not yet taken. */
    int pendingNotices() {
      return notices.size();
    }

    Closed awaitClose() {
      return get(closed);
    }

    @Override
    public void close() {
      if (isOpen()) {
        ws.close();
      }
    }

    private static <T> T get(io.vertx.core.Future<T> f) {
      return get(f.toCompletionStage().toCompletableFuture());
    }

    private static <T> T get(CompletableFuture<T> f) {
      try {
        return f.get(WAIT_SECONDS, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        throw new AssertionError(e.getCause());
      } catch (InterruptedException | TimeoutException e) {
        throw new AssertionError(e);
      }
    }
  }
}
