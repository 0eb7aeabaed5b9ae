package io.canopy.gateway.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.canopy.core.json.TreeJson;
import io.canopy.core.path.Path;
import io.canopy.gateway.auth.AuthConfig;
import io.canopy.gateway.auth.TokenVerifier;
import io.canopy.gateway.ns.NamespaceResolver;
import io.canopy.gateway.sse.SseClient;
import io.canopy.gateway.sse.SseClient.Event;
import io.canopy.pusher.DataPush;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link RestStream} over real HTTP, with the pusher replaced by a loopback session that hands queued items to
 * the transport in order on one thread (as the pusher's outbox does): the response head, event paths relative
 * to the stream's location, keep-alive, cancel, auth_revoked and closing from either side.
 */
class RestStreamHttpTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final long KEEP_ALIVE_MS = 100;
  private static final String SECRET = "rest-stream-test-secret";
  private static final TokenVerifier VERIFIER =
      new TokenVerifier(AuthConfig.defaults().withHs256Secrets(List.of(SECRET)));

  private Vertx vertx;
  private HttpServer server;
  private final List<Loopback> sessions = new CopyOnWriteArrayList<>();
  private final EventStreams registry = new EventStreams();
  private volatile long maxEventBytes = Long.MAX_VALUE;

  /** The fake pusher side: items go to the stream in order, on one delivery thread. */
  final class Loopback implements RestStream.Session {
    final ExecutorService delivery = Executors.newSingleThreadExecutor();
    final AtomicBoolean closed = new AtomicBoolean();
    RestStream stream;

    @Override
    public void send(Object item) {
      delivery.execute(() -> {
        if (!closed.get()) {
          stream.write(item);
        }
      });
    }

    void push(DataPush p) {
      send(p);
    }

    @Override
    public void close() {
      closed.set(true);
    }
  }

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    Router router = Router.router(vertx);
    NamespaceResolver ns = new NamespaceResolver("default");
    router.route().handler(ctx -> {
      RestRequest parsed = RestRequest.parse(RestMethod.GET, ctx.request().path(), ctx.queryParams()::get,
          ctx.request()::getHeader, ns);
      RestRequest request = parsed.withCredential(parsed.credential().verify(VERIFIER));
      RestStream stream = new RestStream(vertx, ctx.response(), request, maxEventBytes, registry);
      Loopback session = new Loopback();
      session.stream = stream;
      stream.attach(session);
      ctx.response().closeHandler(v -> stream.finish());
      sessions.add(session);
      // what a listen does: the initial value first, then the listen completes
      session.push(DataPush.overwrite("default", request.path(), TreeJson.parse("{\"a\":1,\"b\":{\"c\":2}}"), null));
      stream.live(KEEP_ALIVE_MS);
    });
    server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await();
  }

  @AfterEach
  void stop() {
    vertx.close().await();
    sessions.forEach(s -> s.delivery.shutdownNow());
  }

  private String url(String path) {
    return "http://127.0.0.1:" + server.actualPort() + path;
  }

  private Loopback session() {
    await().atMost(WAIT).until(() -> !sessions.isEmpty());
    return sessions.get(sessions.size() - 1);
  }

  @Test
  void firstEventIsTheWholeValueThenChangesAtRelativePaths() throws Exception {
    try (SseClient client = SseClient.open(url("/rooms/r1.json"))) {
      assertThat(client.response().statusCode()).isEqualTo(200);
      assertThat(client.response().headers().firstValue("Content-Type")).contains("text/event-stream");
      assertThat(client.nextData(WAIT))
          .isEqualTo(new Event("put", "{\"path\":\"/\",\"data\":{\"a\":1,\"b\":{\"c\":2}}}"));
      Loopback s = session();
      s.push(DataPush.overwrite("default", Path.of("rooms", "r1", "b", "c"), TreeJson.parse("3"), null));
      s.push(DataPush.merge("default", Path.of("rooms", "r1", "b"),
          Map.of("x/y", TreeJson.parse("true")), null));
      s.push(DataPush.overwrite("default", Path.of("rooms", "r1"), TreeJson.parse("null"), null));
      assertThat(client.nextData(WAIT)).isEqualTo(new Event("put", "{\"path\":\"/b/c\",\"data\":3}"));
      assertThat(client.nextData(WAIT)).isEqualTo(new Event("patch", "{\"path\":\"/b\",\"data\":{\"x/y\":true}}"));
      assertThat(client.nextData(WAIT)).isEqualTo(new Event("put", "{\"path\":\"/\",\"data\":null}"));
    }
  }

  @Test
  void keepAlivesComeEveryInterval() throws Exception {
    try (SseClient client = SseClient.open(url("/k.json"))) {
      assertThat(client.next(WAIT).event()).isEqualTo("put");
      Event ka = client.next(WAIT);
      assertThat(ka).isEqualTo(new Event("keep-alive", "null"));
      assertThat(client.next(WAIT).event()).isEqualTo("keep-alive");
    }
  }

  @Test
  void cancelEndsTheStreamAndClosesTheSession() throws Exception {
    try (SseClient client = SseClient.open(url("/c.json"))) {
      assertThat(client.nextData(WAIT).event()).isEqualTo("put");
      await().atMost(WAIT).until(() -> registry.size() == 1);
      registry.forEach(s -> {
        assertThat((Object) s.path()).isEqualTo(Path.of("c"));
        s.cancel(EventStreams.PERMISSION_DENIED);
      });
      assertThat(client.nextData(WAIT)).isEqualTo(new Event("cancel", "\"Permission denied.\""));
      assertThat(client.nextData(WAIT)).isEqualTo(SseClient.END);
      assertThat(session().closed).isTrue();
      assertThat(registry.size()).isZero();
    }
  }

  @Test
  void anExpiringCredentialGetsAuthRevoked() throws Exception {
    long exp = (System.currentTimeMillis() + 1500) / 1000 + 1; // seconds, 0.5 to 2.5 s from now
    String token = CredentialTest.hs256(SECRET, "{\"sub\":\"u\",\"exp\":" + exp + "}");
    try (SseClient client = SseClient.open(url("/auth.json?auth=" + token))) {
      assertThat(client.nextData(WAIT).event()).isEqualTo("put");
      Event revoked = client.nextData(WAIT);
      assertThat(revoked.event()).isEqualTo("auth_revoked");
      assertThat(System.currentTimeMillis()).isGreaterThanOrEqualTo(exp * 1000);
      assertThat(client.nextData(WAIT)).isEqualTo(SseClient.END);
    }
  }

  @Test
  void anEventOverTheLimitCancelsTheStream() throws Exception {
    maxEventBytes = 200;
    try (SseClient client = SseClient.open(url("/big.json"))) {
      assertThat(client.nextData(WAIT).event()).isEqualTo("put");
      session().push(DataPush.overwrite("default", Path.of("big"), TreeJson.parse("\"" + "x".repeat(500) + "\""),
          null));
      assertThat(client.nextData(WAIT)).isEqualTo(new Event("cancel", "\"" + EventStreams.PAYLOAD_TOO_LARGE + "\""));
      assertThat(client.nextData(WAIT)).isEqualTo(SseClient.END);
    }
  }

  @Test
  void theClientClosingClosesTheSession() throws Exception {
    SseClient client = SseClient.open(url("/bye.json"));
    assertThat(client.nextData(WAIT).event()).isEqualTo("put");
    Loopback s = session();
    client.close();
    await().atMost(WAIT).until(() -> s.closed.get());
    await().atMost(WAIT).until(() -> registry.size() == 0);
  }

  @Test
  void queryStreamsListChildrenInQueryOrder() throws Exception {
    try (SseClient client = SseClient.open(url("/q.json?orderBy=%22n%22&limitToLast=5"))) {
      client.nextData(WAIT);
      session().push(DataPush.overwrite("default", Path.of("q"),
          TreeJson.parse("{\"a\":{\"n\":3},\"b\":{\"n\":1},\"c\":{\"n\":2}}"), 1L));
      assertThat(client.nextData(WAIT).data())
          .isEqualTo("{\"path\":\"/\",\"data\":{\"b\":{\"n\":1},\"c\":{\"n\":2},\"a\":{\"n\":3}}}");
    }
  }
}
