package io.canopy.gateway.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.canopy.server.CanopyServer;
import io.canopy.server.ServerConfig;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /.lp} end to end, in-process: a real CanopyServer on a free port, driven with an HTTP client that speaks
 * long-polling the way the JS SDK does (numbered base64 pieces, one poll held, answers as JSONP scripts), and the
 * switch of a long-polling session to WebSocket ({@code /.ws?s=<session>}). The SDK itself is tested in Chromium by
 * the acceptance module's BrowserSdkIT.
 */
class LongPollIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long WAIT_SECONDS = 20;
  private static final Pattern START = Pattern.compile("parent\\.pLPCommand(\\d*)\\('start',\"([^\"]+)\",\"([^\"]+)\"\\);");
  private static final Pattern DATA = Pattern.compile("parent\\.pRTLPCB(\\d*)\\((\\d+),(\\[.*])\\);");
  private static final Pattern CLOSE = Pattern.compile("parent\\.pLPCommand(\\d*)\\('close'(?:,(\\d+))?\\);");

  @TempDir
  static Path dataDir;

  private static CanopyServer server;
  private static HttpClient http;
  private static Vertx vertx;
  private static WebSocketClient wsClient;

  private final List<Lp> open = new ArrayList<>();

  @BeforeAll
  static void start() {
    server = CanopyServer.start(ServerConfig.parse(List.of(), Map.of()).withDataDir(dataDir)
        .withListen("127.0.0.1", 0));
    http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10))
        .build();
    vertx = Vertx.vertx();
    wsClient = vertx.createWebSocketClient();
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
  void closeSessions() {
    for (Lp lp : open) {
      lp.stop();
    }
  }

  private Lp connect(String ns) throws Exception {
    Lp lp = new Lp(ns);
    open.add(lp);
    return lp;
  }

  @Test
  void startAnswersTheSessionIdPasswordAndTheHelloAsResponseZero() throws Exception {
    HttpResponse<String> r = get("/.lp?start=t&ser=4242&cb=17&v=5&ns=lp-start");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/javascript");
    assertThat(r.headers().firstValue("Cache-Control").orElse("")).contains("no-store");
    Matcher start = START.matcher(r.body());
    assertThat(start.find()).as(r.body()).isTrue();
    assertThat(start.group(1)).isEqualTo("17");
    Matcher data = DATA.matcher(r.body());
    assertThat(data.find()).as(r.body()).isTrue();
    assertThat(data.group(1)).isEqualTo("17");
    assertThat(data.group(2)).isEqualTo("0");
    JsonNode hello = JSON.readTree(data.group(3)).get(0);
    assertThat(hello.at("/d/t").asText()).isEqualTo("h");
    assertThat(hello.at("/d/d/v").asText()).isEqualTo("5");
    assertThat(hello.at("/d/d/h").asText()).isEqualTo("127.0.0.1:" + server.port());
    assertThat(hello.at("/d/d/s").asText()).isEqualTo(start.group(2)); // the id the switch to WebSocket names
    assertThat(hello.at("/d/d/ts").isIntegralNumber()).isTrue();
    // the start command comes before the hello, so the client knows its id when the hello arrives
    assertThat(r.body().indexOf("pLPCommand")).isLessThan(r.body().indexOf("pRTLPCB"));
    disconnect(start.group(2), start.group(3));
  }

  @Test
  void requestsInPiecesAcrossRequestsAreAnsweredInOrderOnTheHeldPoll() throws Exception {
    Lp lp = connect("lp-pieces");
    lp.keepPolling();
    // a put long enough for several pieces, its pieces sent in two requests, the later pieces first
    String value = "v".repeat(3000) + "€✓";
    List<Lp.Seg> pieces = lp.segments("{\"t\":\"d\",\"d\":{\"r\":1,\"a\":\"p\",\"b\":{\"p\":\"/things/a\","
        + "\"d\":\"" + value + "\"}}}", 1000);
    assertThat(pieces).hasSizeGreaterThan(3);
    lp.sendSegments(pieces.subList(2, pieces.size()));
    lp.sendSegments(pieces.subList(0, 2));
    lp.send("{\"t\":\"d\",\"d\":{\"r\":2,\"a\":\"g\",\"b\":{\"p\":\"/things/a\",\"q\":{}}}}");
    JsonNode put = lp.awaitReply(1);
    assertThat(put.at("/b/s").asText()).isEqualTo("ok");
    assertThat(lp.awaitReply(2).at("/b/d").asText()).isEqualTo(value);
    // replies came in request order, numbered without gaps
    assertThat(lp.replyOrder()).containsSubsequence(1L, 2L);
  }

  @Test
  void aListenGetsItsDataAndLaterChangesPushedOnThePolls() throws Exception {
    Lp lp = connect("lp-listen");
    lp.keepPolling();
    lp.send("{\"t\":\"d\",\"d\":{\"r\":1,\"a\":\"q\",\"b\":{\"p\":\"/room\",\"h\":\"\"}}}");
    assertThat(lp.awaitReply(1).at("/b/s").asText()).isEqualTo("ok");
    lp.send("{\"t\":\"d\",\"d\":{\"r\":2,\"a\":\"p\",\"b\":{\"p\":\"/room/msg\",\"d\":\"hi\"}}}");
    JsonNode push = lp.await(m -> "d".equals(m.at("/d/a").asText()) && "room/msg".equals(m.at("/d/b/p").asText()));
    assertThat(push.at("/d/b/d").asText()).isEqualTo("hi");
    assertThat(lp.awaitReply(2).at("/b/s").asText()).isEqualTo("ok");
    // the JS health ping is answered too
    lp.send("{\"t\":\"c\",\"d\":{\"t\":\"p\",\"d\":{}}}");
    lp.await(m -> "c".equals(m.at("/t").asText()) && "o".equals(m.at("/d/t").asText()) && m.at("/d").has("d"));
  }

  @Test
  void aNewerPollReleasesTheHeldOneWithAnEmptyAnswer() throws Exception {
    Lp lp = connect("lp-release");
    CompletableFuture<HttpResponse<String>> first = lp.pollOnce();
    await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !first.isDone());
    CompletableFuture<HttpResponse<String>> second = lp.pollOnce();
    await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(first::isDone);
    HttpResponse<String> released = first.get(WAIT_SECONDS, TimeUnit.SECONDS);
    assertThat(released.statusCode()).isEqualTo(200);
    assertThat(released.body()).doesNotContain("pRTLPCB").doesNotContain("pLPCommand");
    assertThat(second.isDone()).isFalse(); // now held
    // a request carrying a message releases it in turn, and is held for the reply (one round trip per request)
    CompletableFuture<HttpResponse<String>> third = lp.request(lp.query(lp.segments(
        "{\"t\":\"d\",\"d\":{\"r\":1,\"a\":\"s\",\"b\":{\"c\":{}}}}", 1800)));
    assertThat(second.get(WAIT_SECONDS, TimeUnit.SECONDS).body()).doesNotContain("pRTLPCB");
    assertThat(third.get(WAIT_SECONDS, TimeUnit.SECONDS).body()).contains("pRTLPCB");
    assertThat(lp.awaitReply(1).at("/b/s").asText()).isEqualTo("ok");
  }

  @Test
  void unknownSessionsAndWrongPasswordsAreRefused() throws Exception {
    Lp lp = connect("lp-refuse");
    assertThat(get("/.lp?id=nope&pw=x&ser=1").statusCode()).isEqualTo(404);
    assertThat(get("/.lp?id=" + lp.id + "&pw=wrong&ser=1").statusCode()).isEqualTo(403);
    assertThat(get("/.lp?id=" + lp.id + "&ser=1").statusCode()).isEqualTo(403);
    assertThat(get("/.lp?ser=1").statusCode()).isEqualTo(400);
    assertThat(get("/.lp?start=t&ser=1&cb=evil()").statusCode()).isEqualTo(400);
    // a wrong password does not end the session
    lp.send("{\"t\":\"d\",\"d\":{\"r\":1,\"a\":\"s\",\"b\":{\"c\":{}}}}");
    lp.keepPolling();
    assertThat(lp.awaitReply(1).at("/b/s").asText()).isEqualTo("ok");
  }

  @Test
  void theDisconnectFrameEndsTheSessionAndRunsItsOnDisconnectWrites() throws Exception {
    Lp lp = connect("lp-disconn");
    lp.keepPolling();
    lp.send("{\"t\":\"d\",\"d\":{\"r\":1,\"a\":\"p\",\"b\":{\"p\":\"/presence\",\"d\":\"online\"}}}");
    lp.send("{\"t\":\"d\",\"d\":{\"r\":2,\"a\":\"o\",\"b\":{\"p\":\"/presence\",\"d\":\"offline\"}}}");
    lp.awaitReply(2);
    HttpResponse<String> frame = get("/.lp?dframe=t&id=" + lp.id + "&pw=" + lp.pw);
    assertThat(frame.statusCode()).isEqualTo(200);
    assertThat(frame.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
    assertThat(frame.body()).contains("sendBeacon").contains("disconn=t&id=" + lp.id + "&pw=" + lp.pw);
    // the beacon is a POST
    HttpResponse<String> bye = http.send(HttpRequest.newBuilder(uri("/.lp?disconn=t&id=" + lp.id + "&pw=" + lp.pw))
        .POST(HttpRequest.BodyPublishers.ofString("")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(bye.statusCode()).isEqualTo(200);
    await().atMost(WAIT_SECONDS, TimeUnit.SECONDS).until(() -> "\"offline\"".equals(rest("/presence", "lp-disconn")));
    await().atMost(WAIT_SECONDS, TimeUnit.SECONDS)
        .until(() -> get("/.lp?id=" + lp.id + "&pw=" + lp.pw + "&ser=999").statusCode() == 404);
  }

  @Test
  void aSessionWithoutPollsTimesOutAndRunsItsOnDisconnectWrites() throws Exception {
    Lp lp = connect("lp-timeout");
    lp.send("{\"t\":\"d\",\"d\":{\"r\":1,\"a\":\"o\",\"b\":{\"p\":\"/gone\",\"d\":true}}}");
    lp.awaitReply(1);
    // a client that goes away: the poll it had out is dropped with its connection
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.getOutputStream().write(("GET /.lp?id=" + lp.id + "&pw=" + lp.pw + "&ser=77 HTTP/1.1\r\n"
          + "Host: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      socket.setSoTimeout(500);
      assertThatThrownBy(() -> socket.getInputStream().read()).isInstanceOf(SocketTimeoutException.class); // held
    }
    await().atMost(WAIT_SECONDS, TimeUnit.SECONDS).until(() -> "true".equals(rest("/gone", "lp-timeout")));
  }

  @Test
  void theSessionSwitchesToWebSocketInOrderAndLivesOnThere() throws Exception {
    Lp lp = connect("lp-switch");
    lp.keepPolling();
    lp.send("{\"t\":\"d\",\"d\":{\"r\":1,\"a\":\"o\",\"b\":{\"p\":\"/who\",\"d\":\"left\"}}}");
    lp.awaitReply(1);
    BlockingQueue<JsonNode> wsIn = new LinkedBlockingQueue<>();
    WebSocket ws = wsClient.webSocket().textMessageHandler(t -> wsIn.add(json(t)))
        .connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(server.port())
            .setURI("/.ws?v=5&ns=lp-switch&s=" + lp.id))
        .toCompletionStage().toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
    JsonNode ack = wsIn.poll(WAIT_SECONDS, TimeUnit.SECONDS);
    assertThat(ack).isNotNull();
    assertThat(ack.at("/t").asText() + ack.at("/d/t").asText()).isEqualTo("ca"); // no hello: the session exists
    // the client checks the socket with pings, answered on the socket
    for (int i = 0; i < 2; i++) {
      ws.writeTextMessage("{\"t\":\"c\",\"d\":{\"t\":\"p\",\"d\":{}}}");
      JsonNode pong = wsIn.poll(WAIT_SECONDS, TimeUnit.SECONDS);
      assertThat(pong).isNotNull();
      assertThat(pong.at("/d/t").asText()).isEqualTo("o");
    }
    // then acks on the socket and sends from there, while its last messages over long-polling are still on the way
    ws.writeTextMessage("{\"t\":\"c\",\"d\":{\"t\":\"a\",\"d\":{}}}");
    ws.writeTextMessage("{\"t\":\"d\",\"d\":{\"r\":3,\"a\":\"g\",\"b\":{\"p\":\"/order\",\"q\":{}}}}");
    lp.send("{\"t\":\"d\",\"d\":{\"r\":2,\"a\":\"p\",\"b\":{\"p\":\"/order\",\"d\":\"lp first\"}}}");
    lp.send("{\"t\":\"c\",\"d\":{\"t\":\"n\",\"d\":{}}}");
    // long-polling ends with "n" and the close command naming its last response
    lp.await(m -> "c".equals(m.at("/t").asText()) && "n".equals(m.at("/d/t").asText()));
    await().atMost(WAIT_SECONDS, TimeUnit.SECONDS).until(() -> lp.closedAfter != null);
    assertThat(lp.closedAfter).isEqualTo(lp.lastAnswer());
    assertThat(get("/.lp?id=" + lp.id + "&pw=" + lp.pw + "&ser=5000").body()).contains("'close'");
    // what follows comes on the socket: the put's ack (unless it was ready before "n", then long-polling carried
    // it), then the get sent on the socket, handled after the put sent before it over long-polling
    List<JsonNode> after = new ArrayList<>();
    JsonNode got = poll(wsIn, m -> {
      after.add(m);
      return m.at("/d/r").asLong() == 3;
    });
    List<JsonNode> putAcks = new ArrayList<>();
    synchronized (lp.messages) {
      lp.messages.stream().filter(m -> m.at("/d/r").asLong() == 2).forEach(putAcks::add);
    }
    after.stream().filter(m -> m.at("/d/r").asLong() == 2).forEach(putAcks::add);
    assertThat(putAcks).as("the put's ack, exactly once, over long-polling or on the socket before the get's reply")
        .singleElement().satisfies(m -> assertThat(m.at("/d/b/s").asText()).isEqualTo("ok"));
    assertThat(got.at("/d/b/d").asText()).isEqualTo("lp first");
    // the session now lives on the socket: pushes and replies come there
    ws.writeTextMessage("{\"t\":\"d\",\"d\":{\"r\":4,\"a\":\"q\",\"b\":{\"p\":\"/order\",\"h\":\"\"}}}");
    assertThat(poll(wsIn, m -> "d".equals(m.at("/d/a").asText())).at("/d/b/d").asText()).isEqualTo("lp first");
    assertThat(poll(wsIn, m -> m.at("/d/r").asLong() == 4).at("/d/b/s").asText()).isEqualTo("ok");
    // a late disconnect beacon of the long-polling transport does not end it
    get("/.lp?disconn=t&id=" + lp.id + "&pw=" + lp.pw);
    ws.writeTextMessage("{\"t\":\"d\",\"d\":{\"r\":5,\"a\":\"s\",\"b\":{\"c\":{}}}}");
    assertThat(poll(wsIn, m -> m.at("/d/r").asLong() == 5).at("/d/b/s").asText()).isEqualTo("ok");
    assertThat(rest("/who", "lp-switch")).isEqualTo("null");
    // closing the socket ends the session: its on-disconnect write (queued over long-polling) runs
    ws.close();
    await().atMost(WAIT_SECONDS, TimeUnit.SECONDS).until(() -> "\"left\"".equals(rest("/who", "lp-switch")));
  }

  @Test
  void aSwitchToAnUnknownSessionIsResetAndOrdinaryWebSocketsAreUntouched() throws Exception {
    BlockingQueue<JsonNode> in = new LinkedBlockingQueue<>();
    WebSocket ws = wsClient.webSocket().textMessageHandler(t -> in.add(json(t)))
        .connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(server.port())
            .setURI("/.ws?v=5&ns=lp-reset&s=nosuchsession"))
        .toCompletionStage().toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
    JsonNode reset = in.poll(WAIT_SECONDS, TimeUnit.SECONDS);
    assertThat(reset).isNotNull();
    assertThat(reset.at("/d/t").asText()).isEqualTo("r");
    assertThat(reset.at("/d").has("d")).isTrue();
    await().atMost(WAIT_SECONDS, TimeUnit.SECONDS).until(ws::isClosed);
    BlockingQueue<JsonNode> plainIn = new LinkedBlockingQueue<>();
    WebSocket plain = wsClient.webSocket().textMessageHandler(t -> plainIn.add(json(t)))
        .connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(server.port())
            .setURI("/.ws?v=5&ns=lp-reset"))
        .toCompletionStage().toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
    JsonNode hello = plainIn.poll(WAIT_SECONDS, TimeUnit.SECONDS);
    assertThat(hello).isNotNull();
    assertThat(hello.at("/d/t").asText()).isEqualTo("h");
    plain.close();
  }

  // ---- helpers

  private static URI uri(String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + server.port() + pathAndQuery);
  }

  private static HttpResponse<String> get(String pathAndQuery) throws Exception {
    return http.send(HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofSeconds(WAIT_SECONDS)).GET()
        .build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String rest(String path, String ns) throws Exception {
    return get(path + ".json?ns=" + ns).body().trim();
  }

  private static void disconnect(String id, String pw) throws Exception {
    get("/.lp?disconn=t&id=" + id + "&pw=" + pw);
  }

  private static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (Exception e) {
      throw new AssertionError("not JSON: " + text, e);
    }
  }

  private static JsonNode poll(BlockingQueue<JsonNode> queue, Predicate<JsonNode> wanted) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
    while (System.nanoTime() < deadline) {
      JsonNode m = queue.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      if (m != null && wanted.test(m)) {
        return m;
      }
    }
    throw new AssertionError("no such message within " + WAIT_SECONDS + " s");
  }

  /**
   * A long-polling client as the JS SDK is: numbered pieces of base64url (padding '.'), answers put back in order by
   * their number, one poll kept out when asked to.
   */
  private static final class Lp {
    final String ns;
    final String id;
    final String pw;
    final String cb = "5";
    /** Messages in the order the server numbered them. */
    final List<JsonNode> messages = Collections.synchronizedList(new ArrayList<>());
    private final TreeMap<Long, List<JsonNode>> outOfOrder = new TreeMap<>();
    private final HttpClient own = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private long nextAnswer;
    private long serial = 1000;
    private long segment;
    private volatile boolean polling;
    volatile Long closedAfter;

    Lp(String ns) throws Exception {
      this.ns = ns;
      HttpResponse<String> r = get("/.lp?start=t&ser=1&cb=" + cb + "&v=5&ns=" + ns);
      Matcher start = START.matcher(r.body());
      assertThat(start.find()).as(r.body()).isTrue();
      id = start.group(2);
      pw = start.group(3);
      take(r.body());
    }

    /** Keeps one poll out, like the SDK: a new one as soon as the last is answered. */
    void keepPolling() {
      polling = true;
      pollOnce();
    }

    CompletableFuture<HttpResponse<String>> pollOnce() {
      return request("");
    }

    private synchronized long nextSerial() {
      return ++serial;
    }

    CompletableFuture<HttpResponse<String>> request(String pieces) {
      String url = "/.lp?id=" + id + "&pw=" + pw + "&ser=" + nextSerial() + "&ns=" + ns + pieces;
      CompletableFuture<HttpResponse<String>> f = own.sendAsync(HttpRequest.newBuilder(uri(url)).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      return f.whenComplete((r, e) -> {
        if (r != null && r.statusCode() == 200) {
          take(r.body());
          if (polling && pieces.isEmpty() && closedAfter == null) {
            pollOnce();
          }
        }
      });
    }

    private synchronized void take(String body) {
      Matcher data = DATA.matcher(body);
      while (data.find()) {
        assertThat(data.group(1)).isEqualTo(cb);
        List<JsonNode> list = new ArrayList<>();
        json(data.group(3)).forEach(list::add);
        outOfOrder.put(Long.parseLong(data.group(2)), list);
      }
      while (outOfOrder.containsKey(nextAnswer)) {
        messages.addAll(outOfOrder.remove(nextAnswer));
        nextAnswer++;
      }
      Matcher close = CLOSE.matcher(body);
      if (close.find() && closedAfter == null) {
        closedAfter = close.group(2) == null ? 0L : Long.parseLong(close.group(2));
      }
    }

    synchronized long lastAnswer() {
      return nextAnswer - 1;
    }

    /** A message as the SDK cuts it: base64url of its UTF-8, '.' padding, pieces of at most {@code size}. */
    List<String> pieces(String message, int size) {
      String b64 = Base64.getUrlEncoder().encodeToString(message.getBytes(StandardCharsets.UTF_8)).replace('=', '.');
      List<String> out = new ArrayList<>();
      for (int i = 0; i < b64.length(); i += size) {
        out.add(b64.substring(i, Math.min(b64.length(), i + size)));
      }
      return out;
    }

    /** One numbered piece of a message. */
    record Seg(long number, int total, String data) {}

    /** Cuts a message into pieces of at most {@code size} characters and numbers them (the session's next numbers). */
    synchronized List<Seg> segments(String message, int size) {
      List<String> pieces = pieces(message, size);
      List<Seg> out = new ArrayList<>();
      for (String piece : pieces) {
        out.add(new Seg(segment++, pieces.size(), piece));
      }
      return out;
    }

    /** The query parameters carrying {@code segs}. */
    String query(List<Seg> segs) {
      StringBuilder q = new StringBuilder();
      for (int i = 0; i < segs.size(); i++) {
        Seg seg = segs.get(i);
        q.append("&seg").append(i).append('=').append(seg.number()).append("&ts").append(i).append('=')
            .append(seg.total()).append("&d").append(i).append('=').append(seg.data());
      }
      return q.toString();
    }

    /** Sends {@code segs} in one request, and waits for its answer. */
    void sendSegments(List<Seg> segs) throws Exception {
      assertThat(request(query(segs)).get(WAIT_SECONDS, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }

    /** Sends one message in one request. */
    void send(String message) throws Exception {
      sendSegments(segments(message, 1800));
    }

    JsonNode await(Predicate<JsonNode> wanted) {
      return org.awaitility.Awaitility.await().atMost(WAIT_SECONDS, TimeUnit.SECONDS).until(() -> {
        synchronized (messages) {
          return messages.stream().filter(wanted).findFirst().orElse(null);
        }
      }, m -> m != null);
    }

    JsonNode awaitReply(long r) {
      return await(m -> "d".equals(m.at("/t").asText()) && m.at("/d/r").asLong(-1) == r).get("d");
    }

    List<Long> replyOrder() {
      synchronized (messages) {
        return messages.stream().filter(m -> m.at("/d").has("r")).map(m -> m.at("/d/r").asLong()).toList();
      }
    }

    void stop() {
      polling = false;
      try {
        disconnect(id, pw);
      } catch (Exception e) {
        // the test may have ended it
      }
    }
  }
}
