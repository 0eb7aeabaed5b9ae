package io.canopy.gateway.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.canopy.gateway.ns.NamespaceResolver;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link RestAdmission} over real HTTP, in front of a handler that answers 200 to whatever it is passed. */
class RestAdmissionTest {
  private final GatewayLimits limits = new GatewayLimits(LimitsConfig.defaults()
      .withMaxConnections(2).withNamespaceWrites(new Rate(0.001, 2)));
  private final AtomicInteger streams = new AtomicInteger();
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private Vertx vertx;
  private HttpServer server;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    limits.countStreams(streams::get);
    Router router = Router.router(vertx);
    router.route().handler(limits.restAdmission(new NamespaceResolver("default")));
    router.route().handler(ctx -> ctx.response().end("passed"));
    server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private HttpResponse<String> send(String method, String path, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + path))
        .timeout(Duration.ofSeconds(10))
        .method(method, method.equals("GET") || method.equals("DELETE")
            ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString("1"));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void writesOverTheNamespaceBudgetAre429WithAJsonError() throws Exception {
    assertThat(send("PUT", "/a.json?ns=one").body()).isEqualTo("passed");
    assertThat(send("POST", "/a.json?ns=one").body()).isEqualTo("passed");
    HttpResponse<String> refused = send("PATCH", "/a.json?ns=one");
    assertThat(refused.statusCode()).isEqualTo(429);
    assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t)
        .startsWith("application/json"));
    assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
    assertThat(refused.body()).isEqualTo("{\"error\":\"Too many requests: writes to namespace \\\"one\\\" are"
        + " limited to 0.001 per second on this server; retry later\"}");
    assertThat(send("DELETE", "/a.json?ns=one").statusCode()).isEqualTo(429);
    // through the method override too
    assertThat(send("POST", "/a.json?ns=one", "X-HTTP-Method-Override", "PUT").statusCode()).isEqualTo(429);

    // reads, other namespaces and non-data paths are not affected
    assertThat(send("GET", "/a.json?ns=one").body()).isEqualTo("passed");
    assertThat(send("POST", "/a.json?ns=one", "X-HTTP-Method-Override", "GET").body()).isEqualTo("passed");
    assertThat(send("PUT", "/a.json?ns=two").body()).isEqualTo("passed");
    assertThat(send("PUT", "/health").body()).isEqualTo("passed");
    assertThat(limits.stats()).containsEntry("throttledWrites", 3L);
  }

  @Test
  void requestsItCannotClassifyArePassedOn() throws Exception {
    assertThat(send("PUT", "/a.json?ns=NOT_VALID!").body()).isEqualTo("passed");
    assertThat(send("POST", "/a.json", "X-HTTP-Method-Override", "BREW").body()).isEqualTo("passed");
  }

  @Test
  void eventStreamsOverTheCapAre503() throws Exception {
    assertThat(send("GET", "/a.json", "Accept", "text/event-stream").body()).isEqualTo("passed");
    streams.set(1);
    assertThat(limits.connections().tryOpenWebSocket()).isTrue();
    HttpResponse<String> refused = send("GET", "/a.json", "Accept", "text/event-stream");
    assertThat(refused.statusCode()).isEqualTo(503);
    assertThat(refused.body()).contains("Too many connections");
    assertThat(send("GET", "/a.json").body()).as("a plain read is no connection").isEqualTo("passed");
    limits.connections().webSocketClosed();
    assertThat(send("GET", "/a.json", "Accept", "text/event-stream").body()).isEqualTo("passed");
    assertThat(limits.stats()).containsEntry("refusedConnections", 1L);
  }
}
