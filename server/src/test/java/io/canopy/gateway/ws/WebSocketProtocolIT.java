package io.canopy.gateway.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.canopy.server.CanopyServer;
import io.canopy.server.ServerConfig;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.http.WebSocketFrameType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /.ws} end to end, in-process: a real CanopyServer (embedded Kafka, RocksDB, processor, pusher, gateway) on
 * a free port, driven with a raw WebSocket client that speaks the v5 protocol frame by frame, checking the wire
 * shapes the official SDKs depend on. Each test uses its own paths, so they share one server.
 */
class WebSocketProtocolIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long WAIT_SECONDS = 20;
  private static final int PIECE = 16_384;
  /** The HS256 secret the server verifies ID tokens with (dev mode stays on: owner and mock tokens work). */
  private static final String SECRET = "ws-protocol-secret";

  @TempDir
  static Path dataDir;

  private static CanopyServer server;
  private static Vertx vertx;
  private static WebSocketClient client;

  private final List<Connection> open = new ArrayList<>();

  @BeforeAll
  static void start() {
    server = CanopyServer.start(ServerConfig.parse(List.of("--jwt-secret", SECRET), Map.of()).withDataDir(dataDir)
        .withListen("127.0.0.1", 0));
    vertx = Vertx.vertx();
    client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxFrameSize(65_536)
        .setMaxMessageSize(65_536));
  }

  @AfterAll
  static void stop() throws Exception {
    if (vertx != null) {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    if (server != null) {
      server.close();
    }
  }

  @AfterEach
  void closeConnections() {
    for (Connection c : open) {
      c.assertWellBehavedServer();
      c.close();
    }
  }

  private Connection connect(String query) throws Exception {
    Connection c = new Connection(query, null);
    open.add(c);
    return c;
  }

  /** Browsers always offer permessage-deflate; the gateway declines it (zlib state per socket costs ~300 KB). */
  @Test
  void declinesWebSocketCompression() throws Exception {
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(10_000);
      String key = Base64.getEncoder().encodeToString("0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().write(("GET /.ws?ns=it-deflate&v=5 HTTP/1.1\r\nHost: 127.0.0.1:" + server.port()
          + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: "
          + key + "\r\nSec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      java.io.BufferedReader in = new java.io.BufferedReader(
          new java.io.InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
      List<String> head = new ArrayList<>();
      for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
        head.add(line.toLowerCase(java.util.Locale.ROOT));
      }
      assertThat(head).isNotEmpty();
      assertThat(head.get(0)).contains("101");
      assertThat(head).noneMatch(h -> h.startsWith("sec-websocket-extensions"));
    }
  }

  @Test
  void handshakeComesFirstWithAnIntegerTimestampAndTheHostAsReceived() throws Exception {
    long before = System.currentTimeMillis();
    Connection c = connect("ns=it-handshake&v=5");
    JsonNode hello = c.handshake;
    assertThat(hello.get("t").asText()).isEqualTo("c");
    assertThat(hello.at("/d/t").asText()).isEqualTo("h");
    JsonNode d = hello.at("/d/d");
    assertThat(d.get("ts").isIntegralNumber()).isTrue();
    assertThat(d.get("ts").isLong() || d.get("ts").canConvertToLong()).isTrue();
    assertThat(d.get("ts").asLong()).isBetween(before - 1000, System.currentTimeMillis() + 1000);
    assertThat(d.get("v").asText()).isEqualTo("5");
    assertThat(d.get("h").asText()).isEqualTo("127.0.0.1:" + server.port());
    assertThat(d.get("s").asText()).isNotBlank();

    // a client reconnecting with ls=<that session> ends it here (its on-disconnect writes run now)
    Connection next = connect("v=5&ns=it-handshake&ls=" + d.get("s").asText());
    assertThat(next.handshake.at("/d/d/s").asText()).isNotEqualTo(d.get("s").asText());
    await().atMost(WAIT_SECONDS, TimeUnit.SECONDS).until(() -> !c.isOpen());
    assertThat(next.isOpen()).isTrue();
  }

  @Test
  void statsAndAuthAreAcknowledged() throws Exception {
    Connection c = connect("ns=it-auth&v=5");
    long stats = c.request("s", "{\"c\":{\"sdk.admin_java.9-11-0\":1}}");
    long gauth = c.request("gauth", "{\"cred\":\"owner\"}");
    assertThat(c.awaitReply(stats).at("/b/s").asText()).isEqualTo("ok");
    JsonNode auth = c.awaitReply(gauth).get("b");
    assertThat(auth.get("s").asText()).isEqualTo("ok");
    assertThat(auth.at("/d/auth").isNull()).isTrue(); // an admin has no claims
    assertThat(auth.at("/d/expires").isIntegralNumber()).isTrue();
  }

  private static String hs256(String secret, String payload) {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String input = b64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8))
        + "." + b64.encodeToString(payload.getBytes(StandardCharsets.UTF_8));
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return input + "." + b64.encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
    } catch (GeneralSecurityException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void authVerifiesTheTokenAndAFailureKeepsTheConnection() throws Exception {
    Connection c = connect("ns=it-auth-verify&v=5");
    long now = System.currentTimeMillis() / 1000;
    JsonNode ok = c.awaitReply(c.request("auth", "{\"cred\":\""
        + hs256(SECRET, "{\"sub\":\"ada\",\"exp\":" + (now + 3600) + "}") + "\"}")).get("b");
    assertThat(ok.get("s").asText()).isEqualTo("ok");
    assertThat(ok.at("/d/auth/sub").asText()).isEqualTo("ada");
    assertThat(ok.at("/d/expires").asLong()).isEqualTo(now + 3600);

    JsonNode invalid = c.awaitReply(c.request("auth", "{\"cred\":\"not-a-token\"}")).get("b");
    assertThat(invalid.get("s").asText()).isEqualTo("invalid_token");
    assertThat(invalid.get("d").asText()).isEqualTo("Could not parse auth token.");
    JsonNode forged = c.awaitReply(c.request("auth", "{\"cred\":\""
        + hs256("not-the-secret", "{\"sub\":\"ada\",\"exp\":" + (now + 3600) + "}") + "\"}")).get("b");
    assertThat(forged.get("s").asText()).isEqualTo("invalid_token");
    JsonNode expired = c.awaitReply(c.request("auth", "{\"cred\":\""
        + hs256(SECRET, "{\"sub\":\"ada\",\"exp\":" + (now - 3600) + "}") + "\"}")).get("b");
    assertThat(expired.get("s").asText()).isEqualTo("expired_token");
    assertThat(expired.get("d").isTextual()).isTrue();

    // the connection survives the refusals and still serves requests
    c.awaitOk(c.request("p", "{\"p\":\"/after-auth\",\"d\":1}"));
    c.awaitOk(c.request("unauth", "{}"));
    assertThat(c.isOpen()).isTrue();
  }

  @Test
  void listenPushesTheDataThenAnswersOkWithAnObject() throws Exception {
    Connection c = connect("ns=it-listen&v=5");
    c.awaitOk(c.request("p", "{\"p\":\"/rooms/r1\",\"d\":{\"name\":\"one\",\"n\":1}}"));

    long listen = c.request("q", "{\"p\":\"/rooms/r1\",\"h\":\"\"}");
    List<JsonNode> before = new ArrayList<>();
    JsonNode ok = c.awaitReply(listen, before);
    assertThat(ok.at("/b/s").asText()).isEqualTo("ok");
    assertThat(ok.at("/b/d").isObject()).as("listen ok d must be an object").isTrue();
    assertThat(before).anySatisfy(push -> {
      assertThat(push.at("/d/a").asText()).isEqualTo("d");
      assertThat(push.at("/d/b/p").asText()).isEqualTo("rooms/r1");
      assertThat(push.at("/d/b/d")).isEqualTo(json("{\"name\":\"one\",\"n\":1}"));
      assertThat(push.at("/d/b").has("t")).isFalse();
    });

    long empty = c.request("q", "{\"p\":\"/rooms/none\",\"h\":\"\"}");
    List<JsonNode> nothing = new ArrayList<>();
    c.awaitReply(empty, nothing);
    assertThat(nothing).anySatisfy(push -> {
      assertThat(push.at("/d/b/p").asText()).isEqualTo("rooms/none");
      assertThat(push.at("/d/b/d").isNull()).isTrue();
    });
  }

  @Test
  void aWriteIsEchoedToTheWritersListenBeforeItsAck() throws Exception {
    Connection c = connect("ns=it-echo&v=5");
    c.awaitOk(c.request("q", "{\"p\":\"/chat\",\"h\":\"\"}"));
    long put = c.request("p", "{\"p\":\"/chat/m1\",\"d\":{\"text\":\"hi\",\"at\":{\".sv\":\"timestamp\"}}}");
    List<JsonNode> before = new ArrayList<>();
    JsonNode ack = c.awaitReply(put, before);
    assertThat(ack.at("/b/s").asText()).isEqualTo("ok");
    JsonNode echo = before.stream().filter(m -> m.at("/d/a").asText().matches("[dm]")).reduce((a, b) -> b)
        .orElseThrow(() -> new AssertionError("no echo before the ack: " + before));
    JsonNode value = valueAt(echo, "chat/m1");
    assertThat(value.get("text").asText()).isEqualTo("hi");
    assertThat(value.get("at").isIntegralNumber()).as("the server timestamp, resolved").isTrue();

    // another connection's listen sees the change too
    Connection other = connect("ns=it-echo&v=5");
    other.awaitOk(other.request("q", "{\"p\":\"/chat/m1/text\",\"h\":\"\"}"));
    c.awaitOk(c.request("p", "{\"p\":\"/chat/m1/text\",\"d\":\"edited\"}"));
    other.awaitMessage(m -> "edited".equals(valueOrNull(m, "chat/m1/text")));
  }

  @Test
  void compareAndSetIsDatastaleOnAWrongHash() throws Exception {
    Connection c = connect("ns=it-cas&v=5");
    c.awaitOk(c.request("p", "{\"p\":\"/counter\",\"d\":{\"count\":0}}"));
    JsonNode stale = c.awaitReply(c.request("p", "{\"p\":\"/counter\",\"d\":{\"count\":1},\"h\":\"\"}"));
    assertThat(stale.at("/b/s").asText()).isEqualTo("datastale");
    assertThat(stale.at("/b/d").isTextual()).isTrue();
    c.awaitOk(c.request("p", "{\"p\":\"/counter\",\"d\":{\"count\":1},\"h\":\"cl67ch5UmlAYLMHpo01qE7xefBY=\"}"));
    JsonNode read = c.awaitReply(c.request("g", "{\"p\":\"/counter\",\"q\":{}}"));
    assertThat(read.at("/b/d")).isEqualTo(json("{\"count\":1}"));
  }

  @Test
  void mergeWritesSeveralPathsAndGetReadsThem() throws Exception {
    Connection c = connect("ns=it-merge&v=5");
    c.awaitOk(c.request("p", "{\"p\":\"/users\",\"d\":{\"alan\":{\"nick\":\"a\",\"age\":41},\"gone\":1}}"));
    c.awaitOk(c.request("m", "{\"p\":\"/users\",\"d\":{\"alan/nick\":\"Al\",\"grace/nick\":\"G\",\"gone\":null}}"));
    JsonNode read = c.awaitReply(c.request("g", "{\"p\":\"/users\",\"q\":{}}"));
    assertThat(read.at("/b/s").asText()).isEqualTo("ok");
    assertThat(read.at("/b/d")).isEqualTo(json("{\"alan\":{\"nick\":\"Al\",\"age\":41},\"grace\":{\"nick\":\"G\"}}"));
  }

  @Test
  void getAppliesTheQueryOnTheServer() throws Exception {
    Connection c = connect("ns=it-get&v=5");
    c.awaitOk(c.request("p", "{\"p\":\"/scores\",\"d\":{\"a\":1,\"b\":2,\"c\":3,\"d\":4,\"e\":{\".value\":5,"
        + "\".priority\":1}}}"));
    JsonNode window = c.awaitReply(c.request("g",
        "{\"p\":\"/scores\",\"q\":{\"i\":\".value\",\"sp\":2,\"l\":2,\"vf\":\"l\"}}"));
    assertThat(window.at("/b/d")).isEqualTo(json("{\"b\":2,\"c\":3}"));
    JsonNode last = c.awaitReply(c.request("g", "{\"p\":\"/scores\",\"q\":{\"i\":\".key\",\"l\":1,\"vf\":\"r\"}}"));
    assertThat(last.at("/b/d")).isEqualTo(json("{\"e\":{\".value\":5,\".priority\":1}}"));
  }

  @Test
  void aLargeValueGoesUpAndComesBackInPieces() throws Exception {
    Connection c = connect("ns=it-big&v=5");
    StringBuilder big = new StringBuilder();
    while (big.length() < 100_000) {
      big.append("abcdé\uD83D\uDE00"); // surrogate pairs land on piece boundaries
    }
    String value = big.toString();
    long put = c.request("p", "{\"p\":\"/big\",\"d\":" + JSON.writeValueAsString(value) + "}");
    c.awaitOk(put);

    c.framesReceived.clear();
    JsonNode read = c.awaitReply(c.request("g", "{\"p\":\"/big\",\"q\":{}}"));
    assertThat(read.at("/b/d").asText()).isEqualTo(value);
    List<String> frames = List.copyOf(c.framesReceived);
    assertThat(frames).as("a count frame, then pieces").hasSizeGreaterThan(2);
    int count = Integer.parseInt(frames.get(0));
    assertThat(count).isGreaterThanOrEqualTo(7);
    assertThat(frames).hasSize(count + 1);
    for (String piece : frames.subList(1, frames.size())) {
      assertThat(piece.length()).isLessThanOrEqualTo(PIECE);
      assertThat(piece.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(65_536);
      assertThat(Character.isHighSurrogate(piece.charAt(piece.length() - 1))).isFalse();
    }
  }

  @Test
  void pingIsAnsweredWithPongAndKeepalivesAreIgnored() throws Exception {
    Connection c = connect("ns=it-ping&v=5");
    c.sendFrame("{\"t\":\"c\",\"d\":{\"t\":\"p\",\"d\":{}}}");
    assertThat(c.next()).isEqualTo(json("{\"t\":\"c\",\"d\":{\"t\":\"o\",\"d\":{}}}"));
    c.sendFrame("0");
    c.sendFrame("0");
    long stats = c.request("s", "{}");
    assertThat(c.next()).as("nothing answers a keepalive").isEqualTo(
        json("{\"t\":\"d\",\"d\":{\"r\":" + stats + ",\"b\":{\"s\":\"ok\",\"d\":\"\"}}}"));
  }

  @Test
  void badInputIsAnsweredAndTheConnectionSurvives() throws Exception {
    Connection c = connect("ns=it-bad&v=5");
    JsonNode badPath = c.awaitReply(c.request("p", "{\"p\":\"/a/b[c]\",\"d\":1}"));
    assertThat(badPath.at("/b/s").asText()).isEqualTo("invalid_path");
    assertThat(badPath.at("/b/d").isTextual()).isTrue();
    JsonNode badData = c.awaitReply(c.request("p", "{\"p\":\"/a\",\"d\":{\"x.y\":1}}"));
    assertThat(badData.at("/b/s").asText()).isEqualTo("invalid_data");
    JsonNode unknown = c.awaitReply(c.request("zz", "{}"));
    assertThat(unknown.at("/b/s").asText()).isNotEqualTo("ok");
    assertThat(unknown.at("/b/d").isTextual()).isTrue();
    c.sendFrame("this is not json");
    c.sendFrame("{\"t\":\"d\",\"d\":{\"a\":\"p\"}}");
    JsonNode listen = c.awaitReply(c.request("q", "{\"p\":\"/a\",\"h\":\"\"}"));
    assertThat(listen.at("/b/s").asText()).isEqualTo("ok");
    assertThat(c.isOpen()).isTrue();
  }

  @Test
  void taggedListensCarryTheirTagAndGetTheQueryResult() throws Exception {
    Connection c = connect("ns=it-tag&v=5");
    c.awaitOk(c.request("p", "{\"p\":\"/list\",\"d\":{\"a\":1,\"b\":2,\"c\":3}}"));
    long listen = c.request("q", "{\"p\":\"/list\",\"q\":{\"l\":2,\"vf\":\"r\"},\"t\":7,\"h\":\"\"}");
    List<JsonNode> before = new ArrayList<>();
    c.awaitReply(listen, before);
    assertThat(before).anySatisfy(push -> {
      assertThat(push.at("/d/b/t").isIntegralNumber()).isTrue();
      assertThat(push.at("/d/b/t").asLong()).isEqualTo(7);
      assertThat(push.at("/d/b/d")).isEqualTo(json("{\"b\":2,\"c\":3}"));
    });
    c.awaitOk(c.request("n", "{\"p\":\"/list\",\"q\":{\"l\":2,\"vf\":\"r\"},\"t\":7}"));
  }

  @Test
  void onDisconnectWritesRunWhenTheSocketCloses() throws Exception {
    Connection watcher = connect("ns=it-od&v=5");
    Connection leaving = connect("ns=it-od&v=5");
    leaving.awaitOk(leaving.request("p", "{\"p\":\"/presence/me\",\"d\":\"online\"}"));
    leaving.awaitOk(leaving.request("o", "{\"p\":\"/presence/me\",\"d\":\"offline\"}"));
    leaving.awaitOk(leaving.request("om", "{\"p\":\"/presence\",\"d\":{\"log/me\":{\".sv\":\"timestamp\"}}}"));
    leaving.awaitOk(leaving.request("o", "{\"p\":\"/presence/typing\",\"d\":true}"));
    leaving.awaitOk(leaving.request("oc", "{\"p\":\"/presence/typing\",\"d\":null}"));

    List<JsonNode> initial = new ArrayList<>();
    watcher.awaitReply(watcher.request("q", "{\"p\":\"/presence\",\"h\":\"\"}"), initial);
    assertThat(initial).anySatisfy(push -> assertThat(push.at("/d/b/d")).isEqualTo(json("{\"me\":\"online\"}")));

    leaving.close();
    watcher.awaitMessage(m -> "offline".equals(valueOrNull(m, "presence/me")));
    JsonNode read = watcher.awaitReply(watcher.request("g", "{\"p\":\"/presence\",\"q\":{}}"));
    assertThat(read.at("/b/d/me").asText()).isEqualTo("offline");
    assertThat(read.at("/b/d/log/me").isIntegralNumber()).isTrue();
    assertThat(read.at("/b/d").has("typing")).as("cancelled").isFalse();
  }

  @Test
  void metricsCountWebSocketTraffic() throws Exception {
    Connection c = connect("ns=it-metrics&v=5");
    c.awaitOk(c.request("s", "{}"));
    java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
        java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.url() + "/.metrics.json")).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    JsonNode ws = json(r.body()).at("/gateway/webSocket");
    assertThat(ws.get("open").asLong()).isGreaterThanOrEqualTo(1);
    assertThat(ws.get("messagesIn").asLong()).isGreaterThanOrEqualTo(1);
    assertThat(ws.get("messagesOut").asLong()).isGreaterThanOrEqualTo(2);
  }

  @Test
  void anInvalidNamespaceIsToldToStop() throws Exception {
    Connection c = new Connection("ns=Not_Valid&v=5", null);
    open.add(c);
    assertThat(c.handshake.at("/d/t").asText()).isEqualTo("s");
    assertThat(c.handshake.at("/d/d").asText()).contains("Invalid namespace");
  }

  // ---- helpers ----

  private static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (Exception e) {
      throw new AssertionError("not JSON: " + text, e);
    }
  }

  /** The value a push implies at {@code path} (pushes at or above it), or null if it says nothing about it. */
  private static JsonNode valueAt(JsonNode push, String path) {
    JsonNode b = push.at("/d/b");
    String at = b.get("p").asText();
    if (!push.at("/d/a").asText().equals("d")) {
      JsonNode d = b.get("d");
      String rel = at.isEmpty() ? path : path.startsWith(at + "/") ? path.substring(at.length() + 1) : null;
      return rel == null ? null : d.get(rel);
    }
    if (at.equals(path)) {
      return b.get("d");
    }
    if (at.isEmpty() || path.startsWith(at + "/")) {
      String rel = at.isEmpty() ? path : path.substring(at.length() + 1);
      return b.get("d").at("/" + rel);
    }
    return null;
  }

  private static String valueOrNull(JsonNode message, String path) {
    if (!message.at("/d").has("a")) {
      return null;
    }
    JsonNode v = valueAt(message, path);
    return v == null || v.isMissingNode() || v.isNull() ? null : v.asText();
  }

  /** One client connection: frames in are recorded and re-assembled into messages, like the SDKs do. */
  private static final class Connection implements AutoCloseable {
    final BlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
    final List<String> framesReceived = Collections.synchronizedList(new ArrayList<>());
    final List<String> protocolViolations = Collections.synchronizedList(new ArrayList<>());
    final WebSocket ws;
    final JsonNode handshake;
    private long nextRequest = 1;
    // re-assembly state, on the client's event loop
    private int expected;
    private final List<String> pieces = new ArrayList<>();

    Connection(String query, String hostHeader) throws Exception {
      WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(server.port())
          .setURI("/.ws?" + query);
      if (hostHeader != null) {
        options.addHeader("Host", hostHeader);
      }
      ws = client.webSocket()
          .frameHandler(this::onFrame)
          .connect(options)
          .toCompletionStage().toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
      handshake = next();
    }

    private void onFrame(WebSocketFrame frame) {
      if (frame.type() == WebSocketFrameType.CLOSE) {
        return;
      }
      if (frame.type() != WebSocketFrameType.TEXT || !frame.isFinal()) {
        protocolViolations.add("a " + frame.type() + " frame" + (frame.isFinal() ? "" : " (fragmented)"));
        return;
      }
      if (frame.binaryData().length() > 65_536) {
        protocolViolations.add("a frame of " + frame.binaryData().length() + " bytes");
      }
      String text = frame.textData();
      framesReceived.add(text);
      if (expected == 0 && text.length() <= 6 && text.matches("\\d+")) {
        expected = Integer.parseInt(text);
        if (expected == 0) {
          protocolViolations.add("a 0 frame");
        }
        return;
      }
      if (expected > 0) {
        pieces.add(text);
        if (pieces.size() < expected) {
          return;
        }
        text = String.join("", pieces);
        pieces.clear();
        expected = 0;
      }
      JsonNode message = json(text);
      if (message.at("/d").has("error") || message.has("error")) {
        protocolViolations.add("a message with an error key: " + text);
      }
      messages.add(message);
    }

    void assertWellBehavedServer() {
      assertThat(protocolViolations).isEmpty();
    }

    boolean isOpen() {
      return !ws.isClosed();
    }

    void sendFrame(String frame) throws Exception {
      ws.writeTextMessage(frame).toCompletionStage().toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    /** Sends a message as the SDKs do: split into 16,384-character pieces after a count when longer. */
    void send(String message) throws Exception {
      if (message.length() <= PIECE) {
        sendFrame(message);
        return;
      }
      List<String> parts = new ArrayList<>();
      for (int start = 0; start < message.length(); ) {
        int end = Math.min(start + PIECE, message.length());
        if (end < message.length() && Character.isHighSurrogate(message.charAt(end - 1))) {
          end--; // a raw client can't send half a pair: UTF-8 would replace it
        }
        parts.add(message.substring(start, end));
        start = end;
      }
      sendFrame(String.valueOf(parts.size()));
      for (String part : parts) {
        sendFrame(part);
      }
    }

    long request(String action, String body) throws Exception {
      long r = nextRequest++;
      send("{\"t\":\"d\",\"d\":{\"r\":" + r + ",\"a\":\"" + action + "\",\"b\":" + body + "}}");
      return r;
    }

    JsonNode next() throws InterruptedException {
      JsonNode m = messages.poll(WAIT_SECONDS, TimeUnit.SECONDS);
      if (m == null) {
        fail("no message within " + WAIT_SECONDS + " s");
      }
      return m;
    }

    /** Reads up to the reply to {@code r}, checking its shape; returns its {@code d}. */
    JsonNode awaitReply(long r) throws InterruptedException {
      return awaitReply(r, new ArrayList<>());
    }

    /** Like {@link #awaitReply(long)}, collecting the messages that came before it. */
    JsonNode awaitReply(long r, List<JsonNode> before) throws InterruptedException {
      while (true) {
        JsonNode m = next();
        JsonNode d = m.get("d");
        if ("d".equals(m.get("t").asText()) && d.has("r")) {
          assertThat(d.get("r").isIntegralNumber()).as("r is an integer: %s", m).isTrue();
          assertThat(d.at("/b/s").isTextual()).as("b.s is a string: %s", m).isTrue();
          if (!"ok".equals(d.at("/b/s").asText())) {
            assertThat(d.at("/b/d").isTextual()).as("an error's d is a string: %s", m).isTrue();
          }
          assertThat(d.get("r").asLong()).as("replies come in request order").isEqualTo(r);
          return d;
        }
        before.add(m);
      }
    }

    void awaitOk(long r) throws InterruptedException {
      JsonNode reply = awaitReply(r);
      assertThat(reply.at("/b/s").asText()).as("reply %s", reply).isEqualTo("ok");
    }

    /** Reads messages until one matches. */
    JsonNode awaitMessage(Predicate<JsonNode> match) throws InterruptedException {
      while (true) {
        JsonNode m = next();
        if (match.test(m)) {
          return m;
        }
      }
    }

    @Override
    public void close() {
      try {
        ws.close().toCompletionStage().toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
      } catch (Exception e) {
        // already closed
      }
    }
  }
}
