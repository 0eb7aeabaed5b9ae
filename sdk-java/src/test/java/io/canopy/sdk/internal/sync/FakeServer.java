package io.canopy.sdk.internal.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.canopy.sdk.internal.connection.Backoff;
import io.canopy.sdk.internal.connection.PersistentConnection;
import io.canopy.sdk.internal.connection.Transport;
import io.canopy.sdk.internal.connection.TransportFactory;
import io.canopy.sdk.internal.events.EventLoop;
import java.net.URI;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A scripted server behind a fake transport: the test reads the client's requests ({@link #next(String)}) and
 * answers or pushes whatever it likes, so cache and event logic run against exact message sequences without a
 * network. Also builds the {@link Repo} under test.
 */
final class FakeServer implements TransportFactory {
  private static final ObjectMapper JSON = new ObjectMapper();
  final EventLoop loop = new EventLoop();
  final PersistentConnection connection;
  final Repo repo;
  private final BlockingQueue<JsonNode> requests = new LinkedBlockingQueue<>();
  private volatile Transport.Listener listener;
  private volatile int opened;

  FakeServer() {
    connection = new PersistentConnection(loop, URI.create("ws://fake/.ws?v=5&ns=t"), this,
        new Backoff(1, 5, new Random(1)), null, null, 5_000, 200);
    repo = new Repo(loop, connection);
  }

  @Override
  public Transport open(URI uri, Transport.Listener l) {
    listener = l;
    opened++;
    return new Transport() {
      private volatile boolean closed;

      @Override
      public void send(String message) {
        if (!closed) {
          try {
            requests.add(JSON.readTree(message));
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        }
      }

      @Override
      public void close() {
        if (!closed) {
          closed = true;
          l.onClosed("closed by the client");
        }
      }
    };
  }

  int opened() {
    return opened;
  }

  /** Starts the client and completes the handshake; skips the stats request. */
  FakeServer connect() {
    repo.start();
    awaitOpen(1);
    handshake();
    next("s");
    return this;
  }

  void awaitOpen(int n) {
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).until(() -> opened >= n);
  }

  void handshake() {
    message("{\"t\":\"c\",\"d\":{\"t\":\"h\",\"d\":{\"ts\":" + System.currentTimeMillis()
        + ",\"v\":\"5\",\"h\":\"fake\",\"s\":\"s" + opened + "\"}}}");
  }

  /** The next request, which must have action {@code action}; returns its {@code d} ({@code r}, {@code a}, {@code b}). */
  JsonNode next(String action) {
    try {
      JsonNode m = requests.poll(5, TimeUnit.SECONDS);
      assertThat(m).as("a request %s", action).isNotNull();
      assertThat(m.path("d").path("a").asText()).as("action of %s", m).isEqualTo(action);
      return m.path("d");
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Nothing more was sent within a short while. */
  void assertNoRequest() throws InterruptedException {
    JsonNode m = requests.poll(100, TimeUnit.MILLISECONDS);
    assertThat(m).as("no request").isNull();
  }

  void reply(JsonNode request, String status, String dataJson) {
    message("{\"t\":\"d\",\"d\":{\"r\":" + request.path("r").asLong() + ",\"b\":{\"s\":\"" + status + "\",\"d\":"
        + dataJson + "}}}");
  }

  void ok(JsonNode request) {
    reply(request, "ok", request.path("a").asText().equals("q") ? "{}" : "\"\"");
  }

  /** A {@code d} push; {@code tag} may be null. */
  void push(String path, String dataJson, Long tag) {
    message("{\"t\":\"d\",\"d\":{\"a\":\"d\",\"b\":{\"p\":\"" + path + "\",\"d\":" + dataJson
        + (tag == null ? "" : ",\"t\":" + tag) + "}}}");
  }

  void merge(String path, String dataJson) {
    message("{\"t\":\"d\",\"d\":{\"a\":\"m\",\"b\":{\"p\":\"" + path + "\",\"d\":" + dataJson + "}}}");
  }

  void message(String text) {
    listener.onMessage(text);
  }

  /** The server side of the socket dies. */
  void drop() {
    listener.onClosed("dropped by the test");
  }

  void close() {
    repo.close();
  }
}
