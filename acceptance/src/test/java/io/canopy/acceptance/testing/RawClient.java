package io.canopy.acceptance.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A minimal Firebase RTDB v5 client over {@code java.net.http.WebSocket}, written from PROTOCOL.md, for the tests
 * that need to see (or control) the wire: it waits for the server hello, sends requests {@code {t:'d',d:{r,a,b}}}
 * and matches replies by {@code r}, splits outgoing messages longer than 16 384 characters into a count frame and
 * pieces, reassembles split incoming messages, and keeps a local copy of everything pushed to it ({@code d}
 * overwrites and {@code m} merges) as one tree. It has no optimistic state: its tree is exactly what the server
 * sent, in the order it sent it.
 *
 * <p>Every frame in both directions is kept in a short transcript (for failure messages) and, optionally, in a
 * wire log file. Frames a v5 server must never send (WebSocket pings or pongs, binary frames, frames over 64 KiB,
 * the bare count {@code 0}) are recorded as {@link #violations()}.
 */
public final class RawClient implements AutoCloseable {
  public static final int MAX_PIECE_CHARS = 16_384;
  /** Netty's default max frame payload in the Java SDK. */
  public static final int MAX_FRAME_BYTES = 65_536;
  public static final Duration TIMEOUT = Duration.ofSeconds(15);
  private static final int TRANSCRIPT_FRAMES = 80;
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final String name;
  private final CompletableFuture<JsonNode> hello;
  private final Listener listener;
  private final AtomicInteger nextRequest = new AtomicInteger(1);
  private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
  private final List<Consumer<JsonNode>> pushListeners = new CopyOnWriteArrayList<>();
  private final List<JsonNode> controlMessages = new CopyOnWriteArrayList<>();
  private final List<JsonNode> dataMessages = new CopyOnWriteArrayList<>();
  private final List<String> violations = new CopyOnWriteArrayList<>();
  private final Deque<String> transcript = new ArrayDeque<>();
  private final Writer wireLog;
  private final long startNanos = System.nanoTime();
  private final Object treeLock = new Object();
  private ObjectNode tree = NODES.objectNode();
  private CompletableFuture<WebSocket> sendChain;
  private final CompletableFuture<String> closed = new CompletableFuture<>();

  private RawClient(String name, Writer wireLog) {
    this.name = name;
    this.wireLog = wireLog;
    this.hello = new CompletableFuture<>();
    this.listener = new Listener();
  }

  /**
   * Opens {@code ws://127.0.0.1:PORT/.ws?v=5&ns=NS} and waits for the server hello.
   *
   * @param wireLog a file to append every frame to, or null
   */
  public static RawClient connect(CanopyProcess server, String ns, String name, Path wireLog) {
    return connect(URI.create("ws://127.0.0.1:" + server.port() + "/.ws?v=5&ns=" + ns), name, wireLog);
  }

  public static RawClient connect(URI uri, String name, Path wireLog) {
    Writer log = null;
    if (wireLog != null) {
      try {
        Files.createDirectories(wireLog.toAbsolutePath().getParent());
        log = Files.newBufferedWriter(wireLog, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    // The listener belongs to the client, so the client exists before its socket does.
    RawClient client = new RawClient(name, log);
    WebSocket ws;
    try {
      ws = HttpClient.newHttpClient().newWebSocketBuilder()
          .connectTimeout(TIMEOUT)
          .buildAsync(uri, client.listener)
          .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      client.closeLog();
      String detail = String.valueOf(e.getCause() == null ? e : e.getCause());
      if (e.getCause() instanceof java.net.http.WebSocketHandshakeException h) {
        detail = "HTTP " + h.getResponse().statusCode() + " instead of 101 Switching Protocols"
            + (h.getResponse().body() == null ? "" : ", body " + h.getResponse().body());
      }
      throw new AssertionError(name + ": WebSocket upgrade of " + uri + " failed: " + detail, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    client.bind(ws);
    client.awaitHello();
    return client;
  }

  private volatile WebSocket boundSocket;

  private synchronized void bind(WebSocket ws) {
    this.boundSocket = ws;
    this.sendChain = CompletableFuture.completedFuture(ws);
  }

  private WebSocket ws() {
    return boundSocket;
  }

  public String name() {
    return name;
  }

  /** The {@code d} of the server hello {@code {t:'c',d:{t:'h',d:{ts,v,h,s}}}}. */
  public JsonNode hello() {
    return hello.getNow(null);
  }

  private void awaitHello() {
    try {
      hello.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError(name + ": no server hello {t:'c',d:{t:'h',...}} within " + TIMEOUT
          + " of the WebSocket opening\n" + transcript());
    } catch (ExecutionException e) {
      throw new AssertionError(name + ": connection failed before the hello: " + e.getCause() + "\n" + transcript(),
          e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  // ---- requests ------------------------------------------------------------------------------------------------

  /** Sends {@code {t:'d',d:{r,a,b}}}; the future completes with the reply's {@code b} ({@code {s, d}}). */
  public CompletableFuture<JsonNode> request(String action, JsonNode body) {
    int r = nextRequest.getAndIncrement();
    CompletableFuture<JsonNode> reply = new CompletableFuture<>();
    pending.put(r, reply);
    ObjectNode d = NODES.objectNode();
    d.put("r", r);
    d.put("a", action);
    d.set("b", body);
    ObjectNode msg = NODES.objectNode();
    msg.put("t", "d");
    msg.set("d", d);
    sendMessage(Json.write(msg));
    return reply;
  }

  /** A future for the reply to a request sent by hand ({@link #sendFrame}) with request id {@code r}. */
  public CompletableFuture<JsonNode> expectReply(int r) {
    return pending.computeIfAbsent(r, k -> new CompletableFuture<>());
  }

  /** {@link #request} and wait for the reply body; fails with the transcript on a timeout. */
  public JsonNode call(String action, JsonNode body) {
    return await(request(action, body), action + " " + Json.abbreviate(Json.write(body), 200));
  }

  /** Waits for any future of this client, with the transcript in the failure message. */
  public <T> T await(CompletableFuture<T> future, String what) {
    try {
      return future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError(name + ": " + what + ": no reply within " + TIMEOUT + "\n" + transcript());
    } catch (ExecutionException e) {
      throw new AssertionError(name + ": " + what + ": " + e.getCause() + "\n" + transcript(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Default listen at {@code path} ({@code q} with {@code h:""}); returns the reply body. */
  public CompletableFuture<JsonNode> listen(String path) {
    ObjectNode b = NODES.objectNode();
    b.put("p", path);
    b.put("h", "");
    return request("q", b);
  }

  /** {@code p}: set; with a non-null {@code hash} a compare-and-set. */
  public CompletableFuture<JsonNode> put(String path, JsonNode data, String hash) {
    ObjectNode b = NODES.objectNode();
    b.put("p", path);
    b.set("d", data == null ? NullNode.getInstance() : data);
    if (hash != null) {
      b.put("h", hash);
    }
    return request("p", b);
  }

  /** {@code m}: multi-location update with relative (possibly deep) paths. */
  public CompletableFuture<JsonNode> merge(String path, ObjectNode data) {
    ObjectNode b = NODES.objectNode();
    b.put("p", path);
    b.set("d", data);
    return request("m", b);
  }

  /** Sends a raw text frame as is (for keepalive {@code 0}, control messages, malformed input). */
  public void sendFrame(String frame) {
    synchronized (this) {
      record("→", frame);
      sendChain = sendChain.thenCompose(ws -> ws.sendText(frame, true));
    }
  }

  private void sendMessage(String json) {
    synchronized (this) {
      if (json.length() <= MAX_PIECE_CHARS) {
        sendFrame(json);
        return;
      }
      List<String> pieces = new ArrayList<>();
      for (int i = 0; i < json.length(); i += MAX_PIECE_CHARS) {
        pieces.add(json.substring(i, Math.min(json.length(), i + MAX_PIECE_CHARS)));
      }
      sendFrame(String.valueOf(pieces.size()));
      pieces.forEach(this::sendFrame);
    }
  }

  // ---- state ---------------------------------------------------------------------------------------------------

  /** A copy of the local tree (everything pushed so far), canonical. */
  public JsonNode tree() {
    synchronized (treeLock) {
      return Json.canonical(tree);
    }
  }

  /** Called (on the socket's thread) after each data push has been applied, with the push {@code {a,b}}. */
  public void onPush(Consumer<JsonNode> listener) {
    pushListeners.add(listener);
  }

  /** Every data message ({@code d} of {@code {t:'d',d}}: replies and pushes) in arrival order. */
  public List<JsonNode> dataMessages() {
    return List.copyOf(dataMessages);
  }

  public List<JsonNode> controlMessages() {
    return List.copyOf(controlMessages);
  }

  /** Frames or messages the server must never send (see the class comment). */
  public List<String> violations() {
    return List.copyOf(violations);
  }

  public CompletableFuture<String> closedFuture() {
    return closed;
  }

  /** The last frames in both directions, oldest first, with milliseconds since connect. */
  public String transcript() {
    synchronized (transcript) {
      StringBuilder sb = new StringBuilder("---- last frames of ").append(name).append(" ----\n");
      transcript.forEach(line -> sb.append(line).append('\n'));
      return sb.toString();
    }
  }

  private void record(String direction, String frame) {
    String line = String.format("%7d ms %s %s", (System.nanoTime() - startNanos) / 1_000_000, direction,
        Json.abbreviate(frame, 600));
    synchronized (transcript) {
      transcript.addLast(line);
      while (transcript.size() > TRANSCRIPT_FRAMES) {
        transcript.removeFirst();
      }
      if (wireLog != null) {
        try {
          wireLog.write(line);
          wireLog.write('\n');
        } catch (IOException ignored) {
          // the log is a diagnostic only
        }
      }
    }
  }

  // ---- incoming ------------------------------------------------------------------------------------------------

  private final class Listener implements WebSocket.Listener {
    private final StringBuilder partial = new StringBuilder();
    private final StringBuilder message = new StringBuilder();
    private int piecesLeft;

    @Override
    public void onOpen(WebSocket webSocket) {
      record("··", "WebSocket open");
      webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        String frame = partial.toString();
        partial.setLength(0);
        try {
          onFrame(frame);
        } catch (RuntimeException e) {
          violations.add("client failed to handle frame " + Json.abbreviate(frame, 200) + ": " + e);
          record("!!", "handling failed: " + e);
        }
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
      violations.add("binary frame (" + data.remaining() + " bytes): the Java SDK drops the connection");
      record("←", "<binary frame>");
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
      violations.add("WebSocket ping frame: the Java SDK's Netty handler drops the connection on it");
      record("←", "<ping frame>");
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
      violations.add("WebSocket pong frame: the Java SDK's Netty handler drops the connection on it");
      record("←", "<pong frame>");
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      record("··", "closed by server: " + statusCode + " " + reason);
      closeAll(new IllegalStateException("closed by the server: " + statusCode + " " + reason));
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      record("··", "error: " + error);
      closeAll(error);
    }

    private void onFrame(String frame) {
      record("←", frame);
      int bytes = frame.getBytes(StandardCharsets.UTF_8).length;
      if (bytes > MAX_FRAME_BYTES) {
        violations.add("frame of " + bytes + " bytes: more than the Java SDK's 65536-byte frame limit");
      }
      if (piecesLeft == 0) {
        if (frame.length() <= 6 && frame.chars().allMatch(Character::isDigit) && !frame.isEmpty()) {
          int count = Integer.parseInt(frame);
          if (count == 0) {
            violations.add("bare count frame \"0\": the JS SDK then buffers every later frame forever");
          }
          piecesLeft = count;
          return;
        }
        if (frame.length() > MAX_PIECE_CHARS) {
          violations.add("unsplit message of " + frame.length() + " chars (SDKs send ≤ 16384-char pieces)");
        }
        onMessage(frame);
        return;
      }
      if (frame.length() > MAX_PIECE_CHARS) {
        violations.add("piece of " + frame.length() + " chars (SDKs send ≤ 16384-char pieces)");
      }
      message.append(frame);
      if (--piecesLeft == 0) {
        String whole = message.toString();
        message.setLength(0);
        onMessage(whole);
      }
    }
  }

  private void onMessage(String text) {
    JsonNode msg = Json.parse(text);
    String t = msg.path("t").asText();
    JsonNode d = msg.path("d");
    if (msg.has("error") || d.has("error")) {
      violations.add("message with an 'error' key (the JS SDK throws on it): " + Json.abbreviate(text, 200));
    }
    if (t.equals("c")) {
      controlMessages.add(d);
      if (d.path("t").asText().equals("h")) {
        hello.complete(d.path("d"));
      } else if (!hello.isDone()) {
        violations.add("control message before the hello: " + Json.abbreviate(text, 200));
      }
      return;
    }
    if (!t.equals("d")) {
      violations.add("message of unknown type t=" + t + ": " + Json.abbreviate(text, 200));
      return;
    }
    dataMessages.add(d);
    if (d.has("r")) {
      CompletableFuture<JsonNode> reply = pending.remove(d.path("r").asInt());
      if (!d.path("r").isInt()) {
        violations.add("reply r is not a JSON integer: " + d.path("r"));
      }
      if (reply == null) {
        violations.add("reply to unknown request r=" + d.path("r"));
      } else {
        reply.complete(d.path("b"));
      }
      return;
    }
    String action = d.path("a").asText();
    JsonNode b = d.path("b");
    if (action.equals("d") || action.equals("m")) {
      synchronized (treeLock) {
        String path = b.path("p").asText();
        if (action.equals("d")) {
          tree = set(tree, path, b.get("d"));
        } else {
          for (Map.Entry<String, JsonNode> e : b.path("d").properties()) {
            tree = set(tree, path + "/" + e.getKey(), e.getValue());
          }
        }
      }
    }
    for (Consumer<JsonNode> l : pushListeners) {
      l.accept(d);
    }
  }

  /** Returns the tree with {@code value} at {@code path} (null deletes), pruning emptied parents. */
  static ObjectNode set(ObjectNode root, String path, JsonNode value) {
    List<String> keys = new ArrayList<>();
    for (String k : path.split("/")) {
      if (!k.isEmpty()) {
        keys.add(k);
      }
    }
    JsonNode v = Json.canonical(value == null ? NullNode.getInstance() : value);
    if (keys.isEmpty()) {
      return v.isObject() ? (ObjectNode) v.deepCopy() : NODES.objectNode();
    }
    setIn(root, keys, 0, v);
    return root;
  }

  private static void setIn(ObjectNode node, List<String> keys, int i, JsonNode value) {
    String key = keys.get(i);
    if (i == keys.size() - 1) {
      if (value.isNull()) {
        node.remove(key);
      } else {
        node.set(key, value.deepCopy());
      }
      return;
    }
    JsonNode child = node.get(key);
    ObjectNode obj;
    if (child instanceof ObjectNode o) {
      obj = o;
    } else {
      if (value.isNull()) {
        return;
      }
      obj = NODES.objectNode();
      node.set(key, obj);
    }
    setIn(obj, keys, i + 1, value);
    if (obj.isEmpty()) {
      node.remove(key);
    }
  }

  private void closeAll(Throwable cause) {
    closed.complete(String.valueOf(cause.getMessage()));
    hello.completeExceptionally(cause);
    pending.values().forEach(f -> f.completeExceptionally(cause));
  }

  private void closeLog() {
    if (wireLog != null) {
      synchronized (transcript) {
        try {
          wireLog.close();
        } catch (IOException ignored) {
          // diagnostic only
        }
      }
    }
  }

  /** Abrupt close: the socket is aborted (the server sees the connection drop). */
  public void abort() {
    WebSocket ws = ws();
    if (ws != null) {
      ws.abort();
    }
    record("··", "aborted by client");
    closeLog();
  }

  /** Clean close (WebSocket close frame). */
  @Override
  public void close() {
    WebSocket ws = ws();
    if (ws != null && !ws.isOutputClosed()) {
      try {
        synchronized (this) {
          sendChain.thenCompose(s -> s.sendClose(WebSocket.NORMAL_CLOSURE, "bye"))
              .get(5, TimeUnit.SECONDS);
        }
      } catch (ExecutionException | TimeoutException e) {
        ws.abort();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    closeLog();
  }
}
