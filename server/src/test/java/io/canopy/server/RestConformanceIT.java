package io.canopy.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.canopy.server.embedded.EmbeddedKafka;
import io.canopy.server.testing.RestClient;
import io.canopy.server.testing.RestClient.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Firebase REST conformance over real HTTP, in-process with the full stack (embedded Kafka, RocksDB, processor,
 * pusher, gateway): every verb, query parameter, header and error of FIREBASE-REFERENCE §1.1–1.2 that Canopy
 * supports, and streaming with an SSE client (java.net.http with a line-by-line body subscriber). Each test uses
 * its own paths, so they share one server. No third-party Firebase REST client resolves from Maven Central here
 * (see docs/PROTOCOL-COMPAT.md), so the clients are our own, speaking only the documented wire format.
 */
class RestConformanceIT {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final long KEEP_ALIVE_MS = 300;
  /** The HS256 secret the shared server verifies ID tokens with (dev mode stays on: owner and mock tokens work). */
  private static final String SECRET = "rest-conformance-secret";

  @TempDir
  static Path dataDir;

  private static CanopyServer server;
  private static RestClient rest;

  @BeforeAll
  static void startServer() {
    server = CanopyServer.start(ServerConfig.parse(List.of("--data-dir", dataDir.toString(), "--host", "127.0.0.1",
        "--port", "0", "--sse-keepalive-ms", String.valueOf(KEEP_ALIVE_MS), "--jwt-secret", SECRET), Map.of()));
    rest = new RestClient(server.url());
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  // ---------------------------------------------------------------- helpers

  private static JsonNode json(String text) {
    return RestClient.json(text);
  }

  private static void assertJson(Response r, int status, String expectedJson) {
    assertThat(r.status()).as("status of %s", r.body()).isEqualTo(status);
    assertThat(r.json()).isEqualTo(json(expectedJson));
  }

  private static void assertError(Response r, int status, String messagePart) {
    assertThat(r.status()).as("status of %s", r.body()).isEqualTo(status);
    assertThat(r.json().get("error").asText()).contains(messagePart);
  }

  private static String q(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private static JsonNode metrics() {
    return rest.get("/.metrics.json").json();
  }

  /** An HS256 ID token signed with {@code secret}. */
  static String hs256(String secret, String payload) {
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

  /** An unsigned ({@code alg: none}) token, as the emulator and the SDKs' mockUserToken make. */
  static String jwt(String payload) {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    return b64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
        + b64.encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + ".";
  }

  /** The keys of a JSON object body, in the order the server wrote them. */
  private static List<String> keyOrder(String body) {
    List<String> keys = new ArrayList<>();
    for (Iterator<String> it = json(body).fieldNames(); it.hasNext(); ) {
      keys.add(it.next());
    }
    return keys;
  }

  // ---------------------------------------------------------------- verbs

  @Test
  void verbsHaveFirebaseSemantics() {
    assertJson(rest.put("/verbs/a.json", "{\"x\":1,\"y\":{\"z\":\"s\"},\"n\":null,\"e\":{}}"), 200,
        "{\"x\":1,\"y\":{\"z\":\"s\"}}");
    assertJson(rest.get("/verbs/a.json"), 200, "{\"x\":1,\"y\":{\"z\":\"s\"}}");
    Response post = rest.post("/verbs/list.json", "{\"n\":1}");
    assertThat(post.status()).isEqualTo(200);
    assertThat(post.json().size()).isEqualTo(1);
    String id = post.json().get("name").asText();
    assertThat(id).hasSize(20);
    assertJson(rest.get("/verbs/list/" + id + ".json"), 200, "{\"n\":1}");
    assertJson(rest.delete("/verbs/a/x.json"), 200, "null");
    assertJson(rest.get("/verbs/a.json"), 200, "{\"y\":{\"z\":\"s\"}}");
    assertJson(rest.get("/verbs/missing.json"), 200, "null");
    // writing null or {} deletes
    assertJson(rest.put("/verbs/a.json", "{}"), 200, "null");
    assertJson(rest.get("/verbs/a.json"), 200, "null");
  }

  private static final String MP_AFTER =
      "{\"users\":{\"alan\":{\"nick\":\"Al\",\"age\":41},\"grace\":{\"nick\":\"G\"}}}";

  @Test
  void multiPathPatchIsAtomicAndRejectsOverlappingPaths() {
    rest.put("/mp.json", "{\"users\":{\"alan\":{\"nick\":\"a\",\"age\":41}},\"gone\":1}");
    String update = "{\"users/alan/nick\":\"Al\",\"users/grace/nick\":\"G\",\"gone\":null}";
    assertJson(rest.patch("/mp.json", update), 200, update);
    assertJson(rest.get("/mp.json"), 200, MP_AFTER);

    // one key an ancestor of another: 400, and nothing of the update is applied
    Response overlap = rest.patch("/mp.json", "{\"users/alan\":{\"nick\":\"X\"},\"users/alan/age\":1,\"new\":true}");
    assertError(overlap, 400, "ancestor");
    // an invalid value anywhere: nothing applied either
    assertError(rest.patch("/mp.json", "{\"new\":true,\"users/bad.key\":1}"), 400, "");
    assertJson(rest.get("/mp.json"), 200, MP_AFTER);
    assertError(rest.patch("/mp.json", "[1,2]"), 400, "");
  }

  @Test
  void methodOverrideHeader() {
    rest.put("/override.json", "{\"a\":1,\"b\":2}");
    assertJson(rest.post("/override.json", "{\"a\":9}", "X-HTTP-Method-Override", "PATCH"), 200, "{\"a\":9}");
    assertJson(rest.post("/override/c.json", "3", "X-HTTP-Method-Override", "PUT"), 200, "3");
    assertJson(rest.get("/override.json"), 200, "{\"a\":9,\"b\":2,\"c\":3}");
    assertJson(rest.post("/override.json", "", "X-HTTP-Method-Override", "DELETE"), 200, "null");
    assertJson(rest.get("/override.json"), 200, "null");
    assertError(rest.post("/override.json", "1", "X-HTTP-Method-Override", "TRACE"), 400, "X-HTTP-Method-Override");
  }

  @Test
  void namespacesByParameter() {
    rest.put("/nsx.json?ns=alpha", "\"in alpha\"");
    assertJson(rest.get("/nsx.json?ns=alpha"), 200, "\"in alpha\"");
    assertJson(rest.get("/nsx.json?ns=beta"), 200, "null");
    assertJson(rest.get("/nsx.json"), 200, "null");
    assertError(rest.get("/nsx.json?ns=Bad_Name"), 400, "Invalid namespace");
  }

  // ---------------------------------------------------------------- credentials

  @Test
  void credentialsAreVerifiedAndBadOnesAre401() {
    long hour = System.currentTimeMillis() / 1000 + 3600;
    String idToken = hs256(SECRET, "{\"sub\":\"ada\",\"exp\":" + hour + "}");
    rest.put("/cred.json", "1");
    assertJson(rest.get("/cred.json?auth=owner"), 200, "1");
    assertJson(rest.get("/cred.json?auth=" + SECRET), 200, "1"); // the legacy database secret
    assertJson(rest.get("/cred.json?auth=" + jwt("{\"sub\":\"ada\",\"iat\":0}")), 200, "1");
    assertJson(rest.get("/cred.json?auth=" + idToken), 200, "1");
    assertJson(rest.get("/cred.json?access_token=" + idToken), 200, "1");
    assertJson(rest.get("/cred.json", "Authorization", "Bearer " + idToken), 200, "1");
    assertJson(rest.put("/cred.json?auth=owner", "2"), 200, "2");
    assertJson(rest.get("/cred.json", "Authorization", "Basic dXNlcjpwYXNz"), 200, "2");

    String forged = hs256("not-the-secret", "{\"sub\":\"ada\",\"exp\":" + hour + "}");
    for (String bad : List.of("/cred.json?auth=", "/cred.json?auth=a.b", "/cred.json?auth=" + q("has space"),
        "/cred.json?auth=x.%21%21.y", "/cred.json?access_token=", "/cred.json?access_token=ya29.a0-token_value",
        "/cred.json?auth=" + forged, "/cred.json?auth=not-the-secret",
        "/cred.json?auth=" + jwt("{\"uid\":\"no-sub\"}"))) {
      Response r = rest.get(bad);
      assertThat(r.status()).as(bad).isEqualTo(401);
      assertThat(r.json().get("error").asText()).isEqualTo("Could not parse auth token.");
    }
    assertError(rest.get("/cred.json", "Authorization", "Bearer "), 401, "Could not parse auth token.");
    assertError(rest.get("/cred.json", "Authorization", "Bearer ya29.token"), 401, "Could not parse auth token.");
    assertError(rest.put("/cred.json?auth=a.b", "3"), 401, "Could not parse auth token.");
    assertError(rest.put("/cred.json?auth=" + forged, "3"), 401, "Could not parse auth token.");
    String expired = hs256(SECRET, "{\"sub\":\"ada\",\"exp\":" + (hour - 7200) + "}");
    Response r = rest.get("/cred.json?auth=" + expired);
    assertThat(r.status()).isEqualTo(401);
    assertThat(r.json().get("error").asText()).isEqualTo("Auth token is expired");
    assertError(rest.put("/cred.json?auth=" + expired, "3"), 401, "Auth token is expired");
    assertJson(rest.get("/cred.json"), 200, "2");
  }

  // ---------------------------------------------------------------- reply shaping

  @Test
  void shallowReadsKeysOnly() {
    rest.put("/shallow.json", "{\"a\":{\"deep\":{\"x\":1}},\"b\":2,\"c\":\"s\"}");
    assertJson(rest.get("/shallow.json?shallow=true"), 200, "{\"a\":true,\"b\":true,\"c\":true}");
    assertJson(rest.get("/shallow/b.json?shallow=true"), 200, "2");
    assertJson(rest.get("/shallow/c.json?shallow=true"), 200, "\"s\"");
    assertJson(rest.get("/shallow/none.json?shallow=true"), 200, "null");
    assertJson(rest.get("/shallow.json?shallow=true&print=pretty&auth=owner"), 200,
        "{\"a\":true,\"b\":true,\"c\":true}");
    assertError(rest.get("/shallow.json?shallow=true&orderBy=" + q("\"$key\"")), 400,
        "Mixing 'shallow' and querying parameters is not supported");
    assertError(rest.get("/shallow.json?shallow=true&limitToFirst=1"), 400,
        "Mixing 'shallow' and querying parameters is not supported");
    assertError(rest.put("/shallow.json?shallow=true", "1"), 400, "shallow");
  }

  @Test
  void printPrettyAndSilent() {
    Response pretty = rest.get("/print.json?print=pretty");
    assertThat(pretty.status()).isEqualTo(200);
    rest.put("/print.json", "{\"a\":{\"b\":1}}");
    assertThat(rest.get("/print.json?print=pretty").body()).contains("\n").contains("  ");
    assertThat(rest.get("/print.json").body()).doesNotContain("\n");
    for (Response silent : List.of(
        rest.put("/print/s.json?print=silent", "1"),
        rest.patch("/print.json?print=silent", "{\"p\":2}"),
        rest.post("/print/list.json?print=silent", "3"),
        rest.delete("/print/s.json?print=silent"),
        rest.get("/print.json?print=silent"))) {
      assertThat(silent.status()).isEqualTo(204);
      assertThat(silent.body()).isEmpty();
    }
    assertThat(rest.get("/print/p.json").json().asInt()).isEqualTo(2);
    assertError(rest.get("/print.json?print=loud"), 400, "print");
  }

  @Test
  void exportFormatAndPriorities() {
    rest.put("/prio.json", "{\"a\":{\".value\":1,\".priority\":5},\"b\":{\"c\":true,\".priority\":\"p\"}}");
    assertJson(rest.get("/prio.json"), 200, "{\"a\":1,\"b\":{\"c\":true}}");
    assertJson(rest.get("/prio.json?format=export"), 200,
        "{\"a\":{\".value\":1,\".priority\":5},\"b\":{\"c\":true,\".priority\":\"p\"}}");
    // /.priority paths: GET returns the priority, PUT sets it
    assertJson(rest.get("/prio/a/.priority.json"), 200, "5");
    assertJson(rest.put("/prio/a/.priority.json", "7"), 200, "7");
    assertJson(rest.get("/prio/a/.priority.json"), 200, "7");
    assertJson(rest.get("/prio/a.json?format=export"), 200, "{\".value\":1,\".priority\":7}");
    assertJson(rest.get("/prio/a.json"), 200, "1");
    assertJson(rest.get("/prio/missing/.priority.json"), 200, "null");
    // .value beside real children is invalid
    assertError(rest.put("/prio/bad.json", "{\".value\":1,\"x\":2}"), 400, "");
    assertError(rest.post("/prio/a/.priority.json", "1"), 400, "Invalid path");
    assertError(rest.get("/prio.json?format=xml"), 400, "export");
  }

  @Test
  void jsonpCallback() {
    rest.put("/jsonp.json", "{\"a\":1}");
    Response r = rest.get("/jsonp.json?callback=handle");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.header("Content-Type").orElseThrow()).startsWith("application/javascript");
    assertThat(r.body()).isEqualTo("handle({\"a\":1});");
    assertThat(rest.get("/jsonp.json?callback=app.cb_2").body()).isEqualTo("app.cb_2({\"a\":1});");
    assertError(rest.get("/jsonp.json?callback=" + q("alert(1)")), 400, "callback");
    assertError(rest.get("/jsonp.json?callback=" + q("a;b")), 400, "callback");
  }

  @Test
  void downloadOffersAFile() {
    rest.put("/dl.json", "{\"a\":1}");
    Response r = rest.get("/dl.json?download=backup.json");
    assertJson(r, 200, "{\"a\":1}");
    assertThat(r.header("Content-Disposition").orElseThrow())
        .startsWith("attachment; filename=\"backup.json\"");
    assertThat(rest.get("/dl.json").header("Content-Disposition")).isEmpty();
    assertError(rest.get("/dl.json?download="), 400, "download");
  }

  @Test
  void timeoutsAreValidatedAndEnforced() {
    rest.put("/timeout/small.json", "1");
    for (String t : List.of("500ms", "3s", "3min", "15min")) {
      assertJson(rest.get("/timeout/small.json?timeout=" + t), 200, "1");
    }
    // 3ms is well-formed; whether a read (a round trip to Kafka) fits in it depends on the machine
    Response tight = rest.get("/timeout/small.json?timeout=3ms");
    assertThat(tight.status() == 200 ? tight.body() : tight.json().get("error").asText())
        .isIn("1", "The read did not finish within the requested timeout of 3 ms");
    assertError(rest.get("/timeout/small.json?timeout=0s"), 400, "timeout");
    assertError(rest.get("/timeout/small.json?timeout=0ms"), 400, "timeout");
    assertError(rest.get("/timeout/small.json?timeout=16min"), 400, "15min");
    assertError(rest.get("/timeout/small.json?timeout=901s"), 400, "15min");
    assertError(rest.get("/timeout/small.json?timeout=-1s"), 400, "timeout");
    assertError(rest.get("/timeout/small.json?timeout=3h"), 400, "timeout");

    // a read that overruns its timeout is a 400: 40,000 nodes cannot be read and printed within 1 ms
    StringBuilder big = new StringBuilder("{");
    for (int i = 0; i < 40_000; i++) {
      big.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":{\"v\":").append(i).append('}');
    }
    assertThat(rest.put("/timeout/big.json?print=silent", big.append('}').toString()).status()).isEqualTo(204);
    assertError(rest.get("/timeout/big.json?timeout=1ms"), 400, "timeout");
    assertThat(rest.get("/timeout/big.json?timeout=5min&shallow=true").json().size()).isEqualTo(40_000);
  }

  @Test
  void writeSizeLimitGuardsWrites() {
    String twoMiB = "\"" + "x".repeat(2 * 1024 * 1024) + "\"";
    assertError(rest.put("/wsl/a.json?writeSizeLimit=tiny", twoMiB), 400, "writeSizeLimit=tiny");
    assertJson(rest.get("/wsl/a.json"), 200, "null");
    assertThat(rest.put("/wsl/a.json?writeSizeLimit=small&print=silent", twoMiB).status()).isEqualTo(204);
    assertThat(rest.get("/wsl/a.json").body()).hasSize(twoMiB.length());
    assertJson(rest.put("/wsl/b.json?writeSizeLimit=tiny", "1"), 200, "1");
    assertJson(rest.patch("/wsl.json?writeSizeLimit=unlimited", "{\"c\":2}"), 200, "{\"c\":2}");
    assertError(rest.put("/wsl/a.json?writeSizeLimit=huge", "1"), 400, "writeSizeLimit");
  }

  // ---------------------------------------------------------------- queries

  @Test
  void queriesAreEvaluatedServerSideInQueryOrder() {
    rest.put("/q/scores.json", "{\"ann\":{\"score\":30,\"team\":\"red\"},\"bob\":{\"score\":10,\"team\":\"blue\"},"
        + "\"cy\":{\"score\":20,\"team\":\"red\"},\"dee\":{\"team\":\"none\"},\"eve\":{\"score\":40}}");
    String base = "/q/scores.json?orderBy=" + q("\"score\"");

    Response first = rest.get(base + "&limitToFirst=2");
    assertJson(first, 200, "{\"dee\":{\"team\":\"none\"},\"bob\":{\"score\":10,\"team\":\"blue\"}}");
    assertThat(keyOrder(first.body())).containsExactly("dee", "bob");

    Response last = rest.get(base + "&limitToLast=3");
    assertThat(keyOrder(last.body())).containsExactly("cy", "ann", "eve");

    assertThat(keyOrder(rest.get(base + "&startAt=15&endAt=35").body())).containsExactly("cy", "ann");
    assertThat(keyOrder(rest.get(base + "&startAt=15").body())).containsExactly("cy", "ann", "eve");
    assertJson(rest.get(base + "&equalTo=20"), 200, "{\"cy\":{\"score\":20,\"team\":\"red\"}}");
    assertJson(rest.get(base + "&equalTo=99"), 200, "null");
    assertThat(keyOrder(rest.get(base).body())).containsExactly("dee", "bob", "cy", "ann", "eve");
    assertThat(keyOrder(rest.get(base + "&startAfter=10&endBefore=40").body())).containsExactly("cy", "ann");

    String byTeam = "/q/scores.json?orderBy=" + q("\"team\"") + "&equalTo=" + q("\"red\"");
    assertThat(keyOrder(rest.get(byTeam).body())).containsExactly("ann", "cy");

    String byKey = "/q/scores.json?orderBy=" + q("\"$key\"");
    assertThat(keyOrder(rest.get(byKey + "&startAt=" + q("\"b\"") + "&endAt=" + q("\"d\"")).body()))
        .containsExactly("bob", "cy");
    assertThat(keyOrder(rest.get(byKey + "&limitToLast=2").body())).containsExactly("dee", "eve");

    rest.put("/q/values.json", "{\"a\":3,\"b\":1,\"c\":\"x\",\"d\":true,\"e\":2}");
    String byValue = "/q/values.json?orderBy=" + q("\"$value\"");
    assertThat(keyOrder(rest.get(byValue).body())).containsExactly("d", "b", "e", "a", "c");
    assertThat(keyOrder(rest.get(byValue + "&startAt=2&endAt=3").body())).containsExactly("e", "a");

    rest.put("/q/prio.json", "{\"a\":{\".value\":1,\".priority\":3},\"b\":{\".value\":2,\".priority\":1},"
        + "\"c\":{\".value\":3,\".priority\":\"z\"},\"d\":4}");
    String byPriority = "/q/prio.json?orderBy=" + q("\"$priority\"");
    assertThat(keyOrder(rest.get(byPriority).body())).containsExactly("d", "b", "a", "c");
    assertThat(keyOrder(rest.get(byPriority + "&startAt=1&endAt=3").body())).containsExactly("b", "a");
    assertJson(rest.get(byPriority + "&limitToFirst=1&format=export"), 200, "{\"d\":4}");

    // nested child paths
    rest.put("/q/nested.json", "{\"x\":{\"m\":{\"n\":2}},\"y\":{\"m\":{\"n\":1}}}");
    assertThat(keyOrder(rest.get("/q/nested.json?orderBy=" + q("\"m/n\"")).body())).containsExactly("y", "x");
  }

  @Test
  void badQueriesGetFirebasesMessages() {
    assertError(rest.get("/q/scores.json?limitToFirst=1"), 400,
        "orderBy must be defined when other query parameters are defined");
    assertError(rest.get("/q/scores.json?startAt=1"), 400,
        "orderBy must be defined when other query parameters are defined");
    assertError(rest.get("/q/scores.json?orderBy=score"), 400, "orderBy must be a valid JSON encoded path");
    assertError(rest.get("/q/scores.json?orderBy=" + q("\"$key\"") + "&startAt=1"), 400,
        "Provided key index type is invalid, must be string");
    assertError(rest.get("/q/scores.json?orderBy=" + q("\"a\"") + "&limitToFirst=0"), 400,
        "limitToFirst must be a positive integer");
    assertError(rest.get("/q/scores.json?orderBy=" + q("\"a\"") + "&startAt=" + q("{\"x\":1}")), 400,
        "Constraint index field must be a JSON primitive");
    assertError(rest.get("/q/scores.json?orderBy=" + q("\"a\"") + "&equalTo=1&startAt=1"), 400, "equalTo");
  }

  // ---------------------------------------------------------------- server values

  @Test
  void serverValues() {
    long before = System.currentTimeMillis();
    Response r = rest.put("/svals.json", "{\"at\":{\".sv\":\"timestamp\"},\"n\":{\".sv\":{\"increment\":2}}}");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().get("at").asLong()).isBetween(before - 1000, System.currentTimeMillis() + 1000);
    assertThat(r.json().get("n").asInt()).isEqualTo(2);
    assertJson(rest.patch("/svals.json", "{\"n\":{\".sv\":{\"increment\":1.5}}}"), 200, "{\"n\":3.5}");
    Response prio = rest.put("/svals/p.json", "{\".value\":1,\".priority\":{\".sv\":\"timestamp\"}}");
    assertThat(prio.status()).isEqualTo(200);
    assertThat(rest.get("/svals/p/.priority.json").json().asLong()).isGreaterThanOrEqualTo(before - 1000);
  }

  // ---------------------------------------------------------------- conditional requests

  @Test
  void etagsAndConditionalRequests() {
    rest.put("/etag.json", "{\"v\":1}");
    Response read = rest.get("/etag.json", "X-Firebase-ETag", "true");
    String etag = read.header("ETag").orElseThrow();
    assertThat(etag).isNotEqualTo("null_etag");
    assertThat(rest.get("/etag.json").header("ETag")).isEmpty();
    assertThat(rest.get("/etag-none.json", "X-Firebase-ETag", "true").header("ETag")).contains("null_etag");

    // if-none-match: 304 while unchanged, 200 once changed
    Response notModified = rest.get("/etag.json", "if-none-match", etag);
    assertThat(notModified.status()).isEqualTo(304);
    assertThat(notModified.body()).isEmpty();
    assertThat(rest.get("/etag.json", "if-none-match", "\"" + etag + "\"").status()).isEqualTo(304);
    assertJson(rest.get("/etag.json", "if-none-match", "other"), 200, "{\"v\":1}");

    // if-match: compare-and-set through the processor
    assertJson(rest.put("/etag.json", "{\"v\":2}", "if-match", etag), 200, "{\"v\":2}");
    Response stale = rest.put("/etag.json", "{\"v\":3}", "if-match", etag);
    assertJson(stale, 412, "{\"v\":2}");
    String current = stale.header("ETag").orElseThrow();
    assertThat(rest.get("/etag.json", "X-Firebase-ETag", "true").header("ETag")).contains(current);
    assertJson(rest.get("/etag.json", "if-none-match", etag), 200, "{\"v\":2}");
    assertThat(rest.delete("/etag.json", "if-match", etag).status()).isEqualTo(412);
    assertJson(rest.delete("/etag.json", "if-match", current), 200, "null");
    assertJson(rest.get("/etag.json"), 200, "null");

    // null_etag = create only if absent
    assertJson(rest.put("/etag-new.json", "\"first\"", "if-match", "null_etag"), 200, "\"first\"");
    Response taken = rest.put("/etag-new.json", "\"second\"", "if-match", "null_etag");
    assertJson(taken, 412, "\"first\"");
    assertThat(taken.header("ETag").orElseThrow()).isNotEqualTo("null_etag");

    // a query's ETag is its result's
    rest.put("/etag-q.json", "{\"a\":1,\"b\":2}");
    String all = rest.get("/etag-q.json", "X-Firebase-ETag", "true").header("ETag").orElseThrow();
    String one = rest.get("/etag-q.json?orderBy=" + q("\"$key\"") + "&limitToFirst=1", "X-Firebase-ETag", "true")
        .header("ETag").orElseThrow();
    assertThat(one).isNotEqualTo(all);
    assertError(rest.patch("/etag.json", "{\"a\":1}", "if-match", current), 400, "if-match");
  }

  // ---------------------------------------------------------------- errors

  @Test
  void errorsAreFirebaseShaped() {
    assertError(rest.put("/err.json", "{\"a\":"), 400, "Invalid data; couldn't parse JSON object, array, or value.");
    assertError(rest.put("/err.json", ""), 400, "Invalid data");
    assertError(rest.get("/a$b.json"), 400, "Invalid path");
    assertError(rest.get("/a%C3.json"), 400, "Invalid path");
    assertError(rest.put("/err.json", "{\"a.b\":1}"), 400, "");
    assertError(rest.get("/err.json?orderBy=1"), 400, "orderBy");
    assertError(rest.get("/err.json?auth=a.b"), 401, "Could not parse auth token.");
    assertError(rest.get("/not-a-data-path"), 404, "");
    assertError(rest.send("PROPFIND", "/err.json", null), 405, "");
    StringBuilder deep = new StringBuilder();
    for (int i = 0; i < 33; i++) {
      deep.append("/d");
    }
    assertError(rest.put(deep + ".json", "1"), 400, "");
    assertError(rest.put("/err.json", "\"" + "x".repeat(10 * 1024 * 1024 + 1) + "\""), 400, "10 MB");
    assertJson(rest.get("/err.json"), 200, "null");
  }

  @Test
  void bodiesDeclaredOverTheLimitAre413WithoutBeingRead() throws IOException {
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(("PUT /huge.json HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
          + "Content-Length: 300000000\r\n\r\n\"").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String head = readHead(socket.getInputStream());
      assertThat(head).startsWith("HTTP/1.1 413");
      assertThat(head.toLowerCase()).contains("connection: close");
    }
    assertJson(rest.get("/huge.json"), 200, "null");
  }

  private static String readHead(InputStream in) throws IOException {
    StringBuilder sb = new StringBuilder();
    int c;
    while ((c = in.read()) >= 0) {
      sb.append((char) c);
      if (sb.length() >= 4 && sb.substring(sb.length() - 4).equals("\r\n\r\n")) {
        break;
      }
    }
    return sb.toString();
  }

  // ---------------------------------------------------------------- CORS

  @Test
  void corsForBrowsers() {
    Response preflight = rest.send("OPTIONS", "/cors.json", null, "Origin", "http://app.example",
        "Access-Control-Request-Method", "PUT",
        "Access-Control-Request-Headers", "content-type, x-firebase-etag, if-match");
    assertThat(preflight.status()).isEqualTo(204);
    assertThat(preflight.header("Access-Control-Allow-Origin")).contains("*");
    assertThat(preflight.header("Access-Control-Allow-Methods").orElseThrow())
        .contains("GET").contains("PUT").contains("POST").contains("PATCH").contains("DELETE");
    assertThat(preflight.header("Access-Control-Allow-Headers").orElseThrow().toLowerCase())
        .contains("x-firebase-etag").contains("if-match");
    Response bare = rest.send("OPTIONS", "/cors.json", null, "Origin", "http://app.example",
        "Access-Control-Request-Method", "GET");
    assertThat(bare.header("Access-Control-Allow-Headers").orElseThrow())
        .contains("X-Firebase-ETag").contains("If-None-Match").contains("Authorization")
        .contains("X-HTTP-Method-Override");
    Response get = rest.get("/cors.json", "Origin", "http://app.example", "X-Firebase-ETag", "true");
    assertThat(get.header("Access-Control-Allow-Origin")).contains("*");
    assertThat(get.header("Access-Control-Expose-Headers").orElseThrow()).contains("ETag");
  }

  // ---------------------------------------------------------------- large writes

  @Test
  void largeWritesRoundTrip() {
    String mib = "y".repeat(1024 * 1024);
    StringBuilder body = new StringBuilder("{");
    for (int i = 0; i < 48; i++) {
      body.append(i == 0 ? "" : ",").append("\"s").append(i).append("\":\"").append(mib).append('"');
    }
    body.append('}');
    long start = System.nanoTime();
    Response put = rest.put("/large.json?print=silent", body.toString());
    assertThat(put.status()).as(put.body()).isEqualTo(204);
    assertThat(rest.get("/large.json?shallow=true").json().size()).isEqualTo(48);
    assertThat(rest.get("/large/s47.json").body()).hasSize(mib.length() + 2);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(60));
  }

  // ---------------------------------------------------------------- streaming

  @Test
  void streamStartsWithTheWholeValueThenSendsChangesAtRelativePaths() throws Exception {
    rest.put("/stream/room.json", "{\"a\":1,\"b\":{\"c\":2}}");
    try (Sse sse = Sse.open(server.url() + "/stream/room.json")) {
      assertThat(sse.status()).isEqualTo(200);
      assertThat(sse.header("Content-Type")).startsWith("text/event-stream");
      assertThat(sse.nextData()).isEqualTo(new Event("put", "{\"path\":\"/\",\"data\":{\"a\":1,\"b\":{\"c\":2}}}"));

      rest.put("/stream/room/b/c.json", "3");
      assertThat(sse.nextData()).isEqualTo(new Event("put", "{\"path\":\"/b/c\",\"data\":3}"));
      rest.patch("/stream/room.json", "{\"a\":5,\"b/d\":\"x\"}");
      Event patch = sse.nextData();
      assertThat(patch.event()).isEqualTo("patch");
      assertThat(json(patch.data())).isEqualTo(json("{\"path\":\"/\",\"data\":{\"a\":5,\"b/d\":\"x\"}}"));
      rest.delete("/stream/room/a.json");
      assertThat(sse.nextData()).isEqualTo(new Event("put", "{\"path\":\"/a\",\"data\":null}"));
      rest.put("/stream.json", "{\"room\":{\"z\":true}}"); // a write above the stream's location
      assertThat(sse.nextData()).isEqualTo(new Event("put", "{\"path\":\"/\",\"data\":{\"z\":true}}"));
      rest.put("/stream/other.json", "1"); // outside: nothing
      rest.delete("/stream.json");
      assertThat(sse.nextData()).isEqualTo(new Event("put", "{\"path\":\"/\",\"data\":null}"));
    }
  }

  @Test
  void streamsSendKeepAlives() throws Exception {
    try (Sse sse = Sse.open(server.url() + "/stream/quiet.json")) {
      assertThat(sse.next()).isEqualTo(new Event("put", "{\"path\":\"/\",\"data\":null}"));
      long start = System.nanoTime();
      assertThat(sse.next()).isEqualTo(new Event("keep-alive", "null"));
      assertThat(sse.next()).isEqualTo(new Event("keep-alive", "null"));
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(KEEP_ALIVE_MS * 10));
    }
  }

  @Test
  void streamEventsFollowSequentialWritesInOrder() throws Exception {
    rest.put("/stream/counter.json", "0");
    try (Sse sse = Sse.open(server.url() + "/stream/counter.json")) {
      assertThat(sse.nextData()).isEqualTo(new Event("put", "{\"path\":\"/\",\"data\":0}"));
      CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
        for (int i = 1; i <= 200; i++) {
          assertThat(rest.put("/stream/counter.json?print=silent", String.valueOf(i)).status()).isEqualTo(204);
        }
      });
      assertIncreasingTo(sse, 200);
      writer.get(60, TimeUnit.SECONDS);
    }
  }

  @Test
  void streamEventsFollowConcurrentIncrementsInOrder() throws Exception {
    try (Sse sse = Sse.open(server.url() + "/stream/inc.json")) {
      assertThat(sse.nextData()).isEqualTo(new Event("put", "{\"path\":\"/\",\"data\":null}"));
      ExecutorService writers = Executors.newFixedThreadPool(4);
      try {
        List<Future<?>> done = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
          done.add(writers.submit(() -> {
            for (int i = 0; i < 50; i++) {
              assertThat(rest.put("/stream/inc.json?print=silent", "{\".sv\":{\"increment\":1}}").status())
                  .isEqualTo(204);
            }
          }));
        }
        assertIncreasingTo(sse, 200);
        for (Future<?> f : done) {
          f.get(60, TimeUnit.SECONDS);
        }
      } finally {
        writers.shutdownNow();
      }
    }
  }

  /** Reads put events of a counter at "/" until {@code last}: each strictly greater than the one before. */
  private static void assertIncreasingTo(Sse sse, int last) throws InterruptedException {
    long previous = Long.MIN_VALUE;
    while (previous < last) {
      Event e = sse.nextData();
      assertThat(e.event()).isEqualTo("put");
      JsonNode put = json(e.data());
      assertThat(put.get("path").asText()).isEqualTo("/");
      long value = put.get("data").asLong();
      assertThat(value).as("event after %d", previous).isGreaterThan(previous);
      previous = value;
    }
    assertThat(previous).isEqualTo(last);
  }

  @Test
  void queryStreamsPutTheWholeFilteredResultInQueryOrder() throws Exception {
    rest.put("/stream/board.json", "{\"ann\":{\"score\":30},\"bob\":{\"score\":10},\"cy\":{\"score\":20}}");
    String url = server.url() + "/stream/board.json?orderBy=" + q("\"score\"") + "&limitToLast=2";
    try (Sse sse = Sse.open(url)) {
      Event first = sse.nextData();
      assertThat(first).isEqualTo(
          new Event("put", "{\"path\":\"/\",\"data\":{\"cy\":{\"score\":20},\"ann\":{\"score\":30}}}"));
      rest.put("/stream/board/dee.json", "{\"score\":25}");
      assertThat(sse.nextData()).isEqualTo(
          new Event("put", "{\"path\":\"/\",\"data\":{\"dee\":{\"score\":25},\"ann\":{\"score\":30}}}"));
      rest.put("/stream/board/bob/score.json", "99");
      assertThat(sse.nextData()).isEqualTo(
          new Event("put", "{\"path\":\"/\",\"data\":{\"ann\":{\"score\":30},\"bob\":{\"score\":99}}}"));
      rest.put("/stream/board/cy/name.json", "\"outside the window\"");
      rest.put("/stream/board/ann/score.json", "31");
      assertThat(sse.nextData()).isEqualTo(
          new Event("put", "{\"path\":\"/\",\"data\":{\"ann\":{\"score\":31},\"bob\":{\"score\":99}}}"));
    }
    assertError(rest.get("/stream/board.json?orderBy=" + q("\"score\"") + "&shallow=true",
        "Accept", "text/event-stream"), 400, "shallow");
  }

  @Test
  void streamsHonourFormatExport() throws Exception {
    rest.put("/stream/exp.json", "{\"a\":{\".value\":1,\".priority\":2}}");
    try (Sse sse = Sse.open(server.url() + "/stream/exp.json?format=export")) {
      assertThat(json(sse.nextData().data()))
          .isEqualTo(json("{\"path\":\"/\",\"data\":{\"a\":{\".value\":1,\".priority\":2}}}"));
    }
  }

  @Test
  void streamsShareViewsAndClosingTheConnectionClosesTheSession() throws Exception {
    rest.put("/stream/shared.json", "{\"x\":1}");
    await().atMost(WAIT).until(() -> metrics().at("/pusher/sessions").asLong() == 0); // earlier tests' streams
    long loads = metrics().at("/pusher/viewLoads").asLong();
    long sessions = metrics().at("/pusher/sessions").asLong();
    Sse one = Sse.open(server.url() + "/stream/shared.json");
    Sse two = Sse.open(server.url() + "/stream/shared.json");
    try {
      assertThat(one.nextData().data()).isEqualTo("{\"path\":\"/\",\"data\":{\"x\":1}}");
      assertThat(two.nextData().data()).isEqualTo("{\"path\":\"/\",\"data\":{\"x\":1}}");
      // the second stream was served from the first one's view: one store read for both
      assertThat(metrics().at("/pusher/viewLoads").asLong() - loads).isEqualTo(1);
      assertThat(metrics().at("/pusher/sessions").asLong()).isEqualTo(sessions + 2);
    } finally {
      one.close();
      two.close();
    }
    await().atMost(WAIT).until(() -> metrics().at("/pusher/sessions").asLong() == sessions);
  }

  @Test
  void anExpiringIdTokenGetsAuthRevoked() throws Exception {
    long exp = System.currentTimeMillis() / 1000 + 2;
    String token = hs256(SECRET, "{\"sub\":\"ada\",\"exp\":" + exp + "}");
    try (Sse sse = Sse.open(server.url() + "/stream/auth.json?auth=" + token)) {
      assertThat(sse.nextData().event()).isEqualTo("put");
      Event revoked = sse.nextData();
      assertThat(revoked.event()).isEqualTo("auth_revoked");
      assertThat(System.currentTimeMillis()).isGreaterThanOrEqualTo(exp * 1000);
      assertThat(sse.nextData()).isEqualTo(Sse.END);
    }
    Response bad = rest.get("/stream/auth.json?auth=x.y", "Accept", "text/event-stream");
    assertError(bad, 401, "Could not parse auth token.");
    assertThat(bad.header("Content-Type").orElseThrow()).startsWith("application/json");
  }

  @Test
  void aSlowStreamIsResyncedAndStillEndsAtTheLatestValue() throws Exception {
    String mib = "z".repeat(1024 * 1024);
    long resyncs = metrics().at("/pusher/resyncs").asLong();
    try (Sse sse = Sse.open(server.url() + "/stream/slow.json", false)) {
      // the client reads nothing: socket buffers fill, then the session's outbox (16 MiB), then it is resynced
      for (int i = 1; i <= 64; i++) {
        assertThat(rest.put("/stream/slow.json?print=silent", "\"" + i + mib + "\"").status()).isEqualTo(204);
      }
      await().atMost(WAIT).until(() -> metrics().at("/pusher/resyncs").asLong() > resyncs);
      sse.resume();
      int puts = 0;
      String lastPrefix = null;
      while (!"64".equals(lastPrefix)) {
        Event e = sse.nextData();
        assertThat(e.event()).isEqualTo("put");
        puts++;
        JsonNode data = json(e.data()).get("data");
        lastPrefix = data.isNull() ? "" : data.asText().substring(0, data.asText().indexOf('z'));
      }
      assertThat(puts).isLessThan(65); // some pushes were replaced by a snapshot
    }
  }

  // ---------------------------------------------------------------- unavailable

  /** Tests that need a server of their own, on a Kafka they can stop. */
  @Nested
  class WithItsOwnServer {
    @TempDir
    Path dir;
    private EmbeddedKafka kafka;
    private CanopyServer local;

    @AfterEach
    void stop() {
      if (local != null) {
        local.close();
      }
      if (kafka != null) {
        kafka.close();
      }
    }

    private RestClient start(String... extraArgs) {
      kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0);
      List<String> args = new ArrayList<>(List.of("--kafka", kafka.bootstrapServers(),
          "--data-dir", dir.toString(), "--host", "127.0.0.1", "--port", "0", "--write-timeout-ms", "2000"));
      args.addAll(List.of(extraArgs));
      local = CanopyServer.start(ServerConfig.parse(args, Map.of()));
      return new RestClient(local.url());
    }

    /** Outside dev mode the emulator's owner and unsigned tokens are refused; signed ID tokens still work. */
    @Test
    void withoutDevModeOwnerAndUnsignedTokensAre401() {
      RestClient client = start("--dev-mode", "false", "--jwt-secret", SECRET);
      assertThat(client.put("/prod.json", "1").status()).isEqualTo(200);
      assertError(client.get("/prod.json?auth=owner"), 401, "Could not parse auth token.");
      assertError(client.put("/prod.json?auth=owner", "2"), 401, "Could not parse auth token.");
      assertError(client.get("/prod.json?auth=" + jwt("{\"sub\":\"ada\"}")), 401, "Could not parse auth token.");
      String idToken = hs256(SECRET, "{\"sub\":\"ada\",\"exp\":" + (System.currentTimeMillis() / 1000 + 600)
          + "}");
      assertJson(client.get("/prod.json?auth=" + idToken), 200, "1");
      assertJson(client.get("/prod.json?auth=" + SECRET), 200, "1");
    }

    /** Kafka stops under a running server: reads, streams and writes answer 503 in bounded time. */
    @Test
    void readsStreamsAndWritesAnswer503WhenKafkaIsGone() throws Exception {
      RestClient client = start();
      // The first write also waits for the processor to join its group, which a busy machine can stretch past
      // the short write timeout this test needs: retry it until it is accepted.
      await().atMost(Duration.ofSeconds(60)).until(() -> client.put("/k.json", "1").status() == 200);
      kafka.close();

      long start = System.nanoTime();
      assertError(client.get("/k.json"), 503, "temporarily unavailable");
      assertError(client.get("/fresh.json", "Accept", "text/event-stream"), 503, "temporarily unavailable");
      assertError(client.put("/k.json", "2"), 503, "temporarily unavailable");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(60));
    }

    /** A graceful stop ends open streams at once instead of waiting for them as in-flight requests. */
    @Test
    void stoppingTheServerEndsOpenStreams() throws Exception {
      RestClient client = start();
      client.put("/open.json", "1");
      try (Sse sse = Sse.open(local.url() + "/open.json")) {
        assertThat(sse.nextData()).isEqualTo(new Event("put", "{\"path\":\"/\",\"data\":1}"));
        long start = System.nanoTime();
        local.close();
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(sse.nextData()).isEqualTo(Sse.END);
        assertThat(took).isLessThan(Duration.ofSeconds(5)); // the gateway's drain timeout for requests in flight
      }
    }
  }

  // ---------------------------------------------------------------- SSE client

  record Event(String event, String data) {}

  /** An event-stream client: java.net.http with a line-by-line body subscriber, reading on demand. */
  static final class Sse implements AutoCloseable {
    static final Event END = new Event("<end>", null);

    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final HttpResponse.ResponseInfo head;
    private volatile Flow.Subscription subscription;

    private Sse(String url, boolean reading) throws Exception {
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5)).build();
      HttpRequest request = HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/event-stream").GET()
          .build();
      // The response future completes only when the body ends: take the head from the body handler.
      CompletableFuture<HttpResponse.ResponseInfo> info = new CompletableFuture<>();
      http.sendAsync(request, i -> {
        info.complete(i);
        return HttpResponse.BodySubscribers.fromLineSubscriber(new Lines(reading));
      }).whenComplete((r, e) -> {
        if (e != null) {
          info.completeExceptionally(e);
        }
      });
      head = info.get(30, TimeUnit.SECONDS);
    }

    static Sse open(String url) throws Exception {
      return new Sse(url, true);
    }

    /** @param reading false to read nothing until {@link #resume()} (a slow client) */
    static Sse open(String url, boolean reading) throws Exception {
      return new Sse(url, reading);
    }

    int status() {
      return head.statusCode();
    }

    String header(String name) {
      return head.headers().firstValue(name).orElse("");
    }

    void resume() {
      subscription.request(Long.MAX_VALUE);
    }

    Event next() throws InterruptedException {
      Event e = events.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      if (e == null) {
        throw new AssertionError("no event within " + WAIT);
      }
      return e;
    }

    /** The next event that is not a keep-alive. */
    Event nextData() throws InterruptedException {
      while (true) {
        Event e = next();
        if (!e.event().equals("keep-alive")) {
          return e;
        }
      }
    }

    @Override
    public void close() {
      Flow.Subscription s = subscription;
      if (s != null) {
        s.cancel();
      }
    }

    private final class Lines implements Flow.Subscriber<String> {
      private final boolean reading;
      private String event;
      private StringBuilder data;

      Lines(boolean reading) {
        this.reading = reading;
      }

      @Override
      public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        if (reading) {
          s.request(Long.MAX_VALUE);
        }
      }

      @Override
      public void onNext(String line) {
        if (line.isEmpty()) {
          if (event != null || data != null) {
            events.add(new Event(event == null ? "message" : event, data == null ? null : data.toString()));
          }
          event = null;
          data = null;
        } else if (line.startsWith("event:")) {
          event = line.substring(6).trim();
        } else if (line.startsWith("data:")) {
          String d = line.substring(5);
          d = d.startsWith(" ") ? d.substring(1) : d;
          data = data == null ? new StringBuilder(d) : data.append('\n').append(d);
        }
      }

      @Override
      public void onError(Throwable t) {
        events.add(END);
      }

      @Override
      public void onComplete() {
        events.add(END);
      }
    }
  }
}
