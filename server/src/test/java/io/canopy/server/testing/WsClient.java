package io.canopy.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A minimal v5 protocol client for integration tests: sends requests, re-assembles split messages and hands every
 * server message to the test in order. Not thread-safe for sending; one test thread per client.
 */
public final class WsClient implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long WAIT_SECONDS = 30;

  private final BlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
  private final WebSocket ws;
  private final JsonNode handshake;
  private long nextRequest = 1;

  private WsClient(URI uri) throws Exception {
    ws = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
        .buildAsync(uri, new Listener()).get(WAIT_SECONDS, TimeUnit.SECONDS);
    handshake = next();
  }

  /** Connects to {@code ws://127.0.0.1:<port>/.ws?v=5&ns=<namespace>} and reads the handshake. */
  public static WsClient connect(int port, String namespace) throws Exception {
    return new WsClient(URI.create("ws://127.0.0.1:" + port + "/.ws?v=5&ns=" + namespace));
  }

  public JsonNode handshake() {
    return handshake;
  }

  /** Sends {@code {"t":"d","d":{"r":r,"a":action,"b":body}}}; returns r. */
  public long request(String action, String body) throws Exception {
    long r = nextRequest++;
    ws.sendText("{\"t\":\"d\",\"d\":{\"r\":" + r + ",\"a\":\"" + action + "\",\"b\":" + body + "}}", true)
        .get(WAIT_SECONDS, TimeUnit.SECONDS);
    return r;
  }

  /** Sends a request and waits for its reply; returns the reply's {@code b} ({@code {s, d}}). */
  public JsonNode call(String action, String body) throws Exception {
    return awaitReply(request(action, body)).get("b");
  }

  /** The next server message. */
  public JsonNode next() throws InterruptedException {
    JsonNode m = messages.poll(WAIT_SECONDS, TimeUnit.SECONDS);
    if (m == null) {
      throw new AssertionError("no message from the server within " + WAIT_SECONDS + " s");
    }
    return m;
  }

  /** Reads messages up to the reply to {@code r} and returns the reply's {@code d}. */
  public JsonNode awaitReply(long r) throws InterruptedException {
    return awaitMessage(m -> "d".equals(m.path("t").asText()) && m.path("d").path("r").asLong(-1) == r)
        .get("d");
  }

  /** Reads messages until one matches and returns it. */
  public JsonNode awaitMessage(Predicate<JsonNode> match) throws InterruptedException {
    while (true) {
      JsonNode m = next();
      if (match.test(m)) {
        return m;
      }
    }
  }

  /** The messages received and not read yet (non-blocking). */
  public List<JsonNode> drain() {
    List<JsonNode> out = new ArrayList<>();
    messages.drainTo(out);
    return out;
  }

  @Override
  public void close() {
    try {
      ws.sendClose(WebSocket.NORMAL_CLOSURE, "").get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      ws.abort();
    }
  }

  private final class Listener implements WebSocket.Listener {
    private final StringBuilder frame = new StringBuilder();
    private final List<String> pieces = new ArrayList<>();
    private int expected;

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      frame.append(data);
      if (last) {
        String text = frame.toString();
        frame.setLength(0);
        onFrame(text);
      }
      webSocket.request(1);
      return null;
    }

    private void onFrame(String text) {
      if (expected == 0 && text.length() <= 6 && text.matches("\\d+")) {
        expected = Integer.parseInt(text);
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
      try {
        messages.add(JSON.readTree(text));
      } catch (Exception e) {
        throw new IllegalStateException("unparseable server message: " + text, e);
      }
    }
  }
}
