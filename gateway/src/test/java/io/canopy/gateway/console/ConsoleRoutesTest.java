package io.canopy.gateway.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link ConsoleRoutes} over real HTTP, mounted in front of a stand-in for the REST catch-all. */
class ConsoleRoutesTest {
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private Vertx vertx;
  private HttpServer server;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    Router router = Router.router(vertx);
    ConsoleRoutes.mount(router);
    router.route().handler(ctx -> ctx.response().end("rest " + ctx.request().method() + " " + ctx.request().path()));
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
        .method(method, HttpRequest.BodyPublishers.noBody());
    if (headers.length > 0) {
      b.headers(headers);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void theConsolePageIsServedAtTheRoot() throws Exception {
    HttpResponse<String> page = send("GET", "/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
    assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-cache");
    assertThat(page.body()).contains("<script type=\"module\" src=\"/console/console.js\"></script>");
    assertThat(send("GET", "/console/index.html").body()).isEqualTo(page.body());
    assertThat(send("GET", "/?ns=demo").body()).isEqualTo(page.body());
  }

  @Test
  void scriptsAndStylesHaveTheirContentTypes() throws Exception {
    HttpResponse<String> sdk = send("GET", "/sdk/canopy.js");
    assertThat(sdk.statusCode()).isEqualTo(200);
    assertThat(sdk.headers().firstValue("Content-Type")).hasValue("text/javascript; charset=utf-8");
    assertThat(sdk.body()).contains("export function connect(");
    HttpResponse<String> script = send("GET", "/console/console.js");
    assertThat(script.headers().firstValue("Content-Type")).hasValue("text/javascript; charset=utf-8");
    assertThat(script.body()).contains("from '/sdk/canopy.js'");
    assertThat(send("GET", "/console/console.css").headers().firstValue("Content-Type"))
        .hasValue("text/css; charset=utf-8");
  }

  @Test
  void anUnchangedFileIsRevalidatedWith304() throws Exception {
    HttpResponse<String> first = send("GET", "/sdk/canopy.js");
    String etag = first.headers().firstValue("ETag").orElseThrow();
    assertThat(etag).startsWith("\"").endsWith("\"");
    HttpResponse<String> again = send("GET", "/sdk/canopy.js", "If-None-Match", etag);
    assertThat(again.statusCode()).isEqualTo(304);
    assertThat(again.body()).isEmpty();
    assertThat(send("GET", "/sdk/canopy.js", "If-None-Match", "\"other\"").statusCode()).isEqualTo(200);
    assertThat(send("GET", "/", "If-None-Match", etag).statusCode()).isEqualTo(200);
  }

  @Test
  void headAnswersWithoutABody() throws Exception {
    HttpResponse<String> head = send("HEAD", "/");
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.headers().firstValue("Content-Length")).hasValueSatisfying(n -> assertThat(n).isNotEqualTo("0"));
    assertThat(head.body()).isEmpty();
  }

  @Test
  void everythingElseReachesTheNextRoute() throws Exception {
    assertThat(send("GET", "/x.json").body()).isEqualTo("rest GET /x.json");
    assertThat(send("GET", "/.json?ns=demo").body()).isEqualTo("rest GET /.json");
    assertThat(send("PUT", "/").body()).isEqualTo("rest PUT /");
    assertThat(send("DELETE", "/sdk/canopy.js").body()).isEqualTo("rest DELETE /sdk/canopy.js");
    assertThat(send("GET", "/console/missing.js").body()).isEqualTo("rest GET /console/missing.js");
    assertThat(send("GET", "/sdk/canopy.js.json").body()).isEqualTo("rest GET /sdk/canopy.js.json");
  }
}
