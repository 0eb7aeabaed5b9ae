package io.canopy.gateway.ws;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.Channel;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.ext.web.Router;
import java.lang.ref.WeakReference;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link UpgradeResidue} on a real Vert.x server: both trims apply to the Vert.x version we ship (so an upgrade that
 * breaks them fails here instead of silently costing ~11 KB per connection), the HTTP/1 connection of the upgrade
 * is released while the socket stays open, and the socket still works both ways, with writes from many threads.
 */
class UpgradeResidueTest {
  private static final int WRITERS = 4;
  private static final int PER_WRITER = 500;

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final AtomicInteger trimmed = new AtomicInteger(-1);
  private final AtomicReference<WeakReference<HttpConnection>> upgradedFrom = new AtomicReference<>();
  private final CompletableFuture<ServerWebSocket> socket = new CompletableFuture<>();
  private final LinkedBlockingQueue<String> serverReceived = new LinkedBlockingQueue<>();
  private Vertx vertx;
  private HttpServer server;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    Router router = Router.router(vertx);
    router.route("/ws").handler(ctx -> {
      HttpConnection connection = ctx.request().connection();
      upgradedFrom.set(new WeakReference<>(connection));
      Channel channel = connection instanceof ConnectionBase base ? base.channel() : null;
      ctx.request().toWebSocket().onSuccess(ws -> {
        trimmed.set(UpgradeResidue.trim(channel));
        ws.textMessageHandler(serverReceived::add);
        socket.complete(ws);
      }).onFailure(socket::completeExceptionally);
    });
    server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void trimsBothAndTheSocketStillWorks() throws Exception {
    Client client = new Client(WRITERS * PER_WRITER);
    WebSocket ws = http.newWebSocketBuilder()
        .buildAsync(URI.create("ws://127.0.0.1:" + server.actualPort() + "/ws"), client)
        .get(10, TimeUnit.SECONDS);
    ServerWebSocket serverSide = socket.get(10, TimeUnit.SECONDS);
    assertThat(trimmed.get()).as("trims applied").isEqualTo(2);

    // Writes from several threads at once (the outbound queue's many producers), each in its own order.
    List<Thread> writers = new ArrayList<>();
    for (int w = 0; w < WRITERS; w++) {
      int writer = w;
      writers.add(new Thread(() -> {
        for (int i = 0; i < PER_WRITER; i++) {
          serverSide.writeTextMessage(writer + ":" + i);
        }
      }));
    }
    writers.forEach(Thread::start);
    for (Thread t : writers) {
      t.join();
    }
    assertThat(client.all.await(10, TimeUnit.SECONDS)).as("all messages arrived").isTrue();
    int[] next = new int[WRITERS];
    for (String m : client.received) {
      String[] parts = m.split(":");
      int writer = Integer.parseInt(parts[0]);
      assertThat(Integer.parseInt(parts[1])).as("order of writer %d", writer).isEqualTo(next[writer]);
      next[writer]++;
    }

    ws.sendText("hello", true).get(5, TimeUnit.SECONDS);
    assertThat(serverReceived.poll(5, TimeUnit.SECONDS)).isEqualTo("hello");

    // The HTTP/1 connection the socket was upgraded from is garbage while the socket is open.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (upgradedFrom.get().get() != null && System.nanoTime() < deadline) {
      System.gc();
      Thread.sleep(50);
    }
    assertThat(upgradedFrom.get().get()).as("upgraded-from HTTP/1 connection").isNull();
    assertThat(serverSide.isClosed()).isFalse();
    ws.sendText("still there", true).get(5, TimeUnit.SECONDS);
    assertThat(serverReceived.poll(5, TimeUnit.SECONDS)).isEqualTo("still there");
  }

  @Test
  void doesNothingWithoutAChannel() {
    assertThat(UpgradeResidue.trim(null)).isZero();
  }

  private static final class Client implements WebSocket.Listener {
    final List<String> received = new ArrayList<>();
    final CountDownLatch all;
    private final StringBuilder partial = new StringBuilder();

    Client(int expected) {
      all = new CountDownLatch(expected);
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        synchronized (received) {
          received.add(partial.toString());
        }
        partial.setLength(0);
        all.countDown();
      }
      ws.request(1);
      return null;
    }
  }
}
