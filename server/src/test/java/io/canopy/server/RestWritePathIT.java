package io.canopy.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.canopy.server.testing.RestClient.Response;
import io.canopy.server.testing.RestClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The REST write path end to end, in-process: a real CanopyServer (embedded Kafka, RocksDB, processor, pusher,
 * gateway) on a free port, driven over real HTTP. Each test uses its own paths, so they share one server.
 */
class RestWritePathIT {
  @TempDir
  static Path dataDir;

  private static CanopyServer server;
  private static RestClient rest;

  @BeforeAll
  static void startServer() {
    server = CanopyServer.start(ServerConfig.defaults().withDataDir(dataDir).withListen("127.0.0.1", 0));
    rest = new RestClient(server.url());
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  private static JsonNode json(String text) {
    return RestClient.json(text);
  }

  private static void assertJson(Response r, int status, String expectedJson) {
    assertThat(r.status()).as("status of %s", r.body()).isEqualTo(status);
    assertThat(r.json()).isEqualTo(json(expectedJson));
  }

  @Test
  void putEchoesAndGetReadsIt() {
    assertJson(rest.put("/put/a.json", "{\"x\":1,\"y\":{\"z\":\"s\"},\"n\":null,\"e\":{}}"), 200,
        "{\"x\":1,\"y\":{\"z\":\"s\"}}");
    assertJson(rest.get("/put/a.json"), 200, "{\"x\":1,\"y\":{\"z\":\"s\"}}");
    assertJson(rest.get("/put/a/y/z.json"), 200, "\"s\"");
    assertJson(rest.get("/put/missing.json"), 200, "null");
    // Stored as an integer-keyed object; read back as an array, as Firebase renders array-like data.
    assertJson(rest.put("/put/a.json", "[\"p\",\"q\"]"), 200, "[\"p\",\"q\"]");
    assertJson(rest.get("/put.json"), 200, "{\"a\":[\"p\",\"q\"]}");
    assertJson(rest.get("/put.json?format=export"), 200, "{\"a\":{\"0\":\"p\",\"1\":\"q\"}}");
  }

  @Test
  void patchMergesSeveralPathsAtomicallyAndNullDeletes() {
    rest.put("/patch.json", "{\"keep\":1,\"gone\":2,\"users\":{\"alan\":{\"nick\":\"a\",\"age\":41}}}");
    String update = "{\"users/alan/nick\":\"Al\",\"users/grace/nick\":\"G\",\"gone\":null}";
    assertJson(rest.patch("/patch.json", update), 200, update);
    assertJson(rest.get("/patch.json"), 200,
        "{\"keep\":1,\"users\":{\"alan\":{\"nick\":\"Al\",\"age\":41},\"grace\":{\"nick\":\"G\"}}}");
  }

  @Test
  void postCreatesPushIdChildrenInOrder() {
    Response first = rest.post("/list.json", "\"one\"");
    Response second = rest.post("/list.json", "{\"n\":2}");
    assertThat(first.status()).isEqualTo(200);
    String id1 = first.json().get("name").asText();
    String id2 = second.json().get("name").asText();
    assertThat(id1).hasSize(20);
    assertThat(id2).hasSize(20).isGreaterThan(id1);
    assertJson(rest.get("/list.json"), 200, "{\"" + id1 + "\":\"one\",\"" + id2 + "\":{\"n\":2}}");
  }

  @Test
  void deleteRemovesAndRepliesNull() {
    rest.put("/del.json", "{\"a\":1,\"b\":2}");
    assertJson(rest.delete("/del/a.json"), 200, "null");
    assertJson(rest.get("/del.json"), 200, "{\"b\":2}");
    assertJson(rest.delete("/del.json"), 200, "null");
    assertJson(rest.get("/del.json"), 200, "null");
  }

  @Test
  void methodOverrideTurnsAPostIntoAnotherVerb() {
    rest.put("/override.json", "{\"a\":1,\"b\":2}");
    assertJson(rest.post("/override.json", "{\"a\":9}", "X-HTTP-Method-Override", "PATCH"), 200, "{\"a\":9}");
    assertJson(rest.get("/override.json"), 200, "{\"a\":9,\"b\":2}");
    assertJson(rest.post("/override.json", "", "X-HTTP-Method-Override", "DELETE"), 200, "null");
    assertJson(rest.get("/override.json"), 200, "null");
  }

  @Test
  void serverTimestampIsResolvedInTheEchoAndTheData() {
    long before = System.currentTimeMillis();
    Response r = rest.put("/sv/time.json", "{\"at\":{\".sv\":\"timestamp\"},\"by\":\"me\"}");
    long after = System.currentTimeMillis();
    assertThat(r.status()).isEqualTo(200);
    long at = r.json().get("at").asLong();
    assertThat(at).isBetween(before - 1000, after + 1000);
    assertJson(rest.get("/sv/time.json"), 200, "{\"at\":" + at + ",\"by\":\"me\"}");
  }

  @Test
  void serverIncrementAddsToTheStoredNumber() {
    rest.put("/sv/counter.json", "5");
    assertJson(rest.put("/sv/counter.json", "{\".sv\":{\"increment\":1}}"), 200, "6");
    assertJson(rest.put("/sv/counter.json", "{\".sv\":{\"increment\":1}}"), 200, "7");
    assertJson(rest.get("/sv/counter.json"), 200, "7");
    assertJson(rest.patch("/sv.json", "{\"counter\":{\".sv\":{\"increment\":10}},\"fresh\":{\".sv\":{\"increment\":2}}}"),
        200, "{\"counter\":17,\"fresh\":2}");
    assertJson(rest.get("/sv/counter.json"), 200, "17");
    assertJson(rest.get("/sv/fresh.json"), 200, "2");
  }

  @Test
  void compareAndSetWithETags() {
    rest.put("/cas.json", "{\"v\":1}");
    Response read = rest.get("/cas.json", "X-Firebase-ETag", "true");
    String etag = read.header("ETag").orElseThrow();
    assertThat(etag).isNotEqualTo("null_etag");

    Response ok = rest.put("/cas.json", "{\"v\":2}", "if-match", etag);
    assertJson(ok, 200, "{\"v\":2}");

    // The old ETag no longer matches: 412 with the current value and its ETag.
    Response stale = rest.put("/cas.json", "{\"v\":3}", "if-match", etag);
    assertJson(stale, 412, "{\"v\":2}");
    String current = rest.get("/cas.json", "X-Firebase-ETag", "true").header("ETag").orElseThrow();
    assertThat(stale.header("ETag")).contains(current);
    assertJson(rest.get("/cas.json"), 200, "{\"v\":2}");

    // null_etag means "only if absent".
    assertThat(rest.get("/cas-new.json", "X-Firebase-ETag", "true").header("ETag")).contains("null_etag");
    assertJson(rest.put("/cas-new.json", "\"created\"", "if-match", "null_etag"), 200, "\"created\"");
    assertJson(rest.put("/cas-new.json", "\"again\"", "if-match", "null_etag"), 412, "\"created\"");

    // A conditional delete.
    Response deleted = rest.delete("/cas.json", "if-match", current);
    assertJson(deleted, 200, "null");
    assertJson(rest.get("/cas.json"), 200, "null");
  }

  @Test
  void namespacesAreIsolated() {
    rest.put("/iso.json?ns=a", "\"in a\"");
    rest.put("/iso.json?ns=b", "\"in b\"");
    assertJson(rest.get("/iso.json?ns=a"), 200, "\"in a\"");
    assertJson(rest.get("/iso.json?ns=b"), 200, "\"in b\"");
    assertJson(rest.get("/iso.json"), 200, "null");
    rest.delete("/iso.json?ns=a");
    assertJson(rest.get("/iso.json?ns=b"), 200, "\"in b\"");
  }

  @Test
  void errorsAreFirebaseShapedWithTheirStatus() {
    Response badJson = rest.put("/err.json", "{\"a\":");
    assertThat(badJson.status()).isEqualTo(400);
    assertThat(badJson.json().get("error").asText())
        .startsWith("Invalid data; couldn't parse JSON object, array, or value.");

    Response badPath = rest.get("/a$b.json");
    assertThat(badPath.status()).isEqualTo(400);
    assertThat(badPath.json().get("error").asText()).startsWith("Invalid path");

    Response badNs = rest.get("/x.json?ns=Not_Valid");
    assertThat(badNs.status()).isEqualTo(400);
    assertThat(badNs.json().get("error").asText()).contains("Invalid namespace");

    Response badKey = rest.put("/err.json", "{\"a.b\":1}");
    assertThat(badKey.status()).isEqualTo(400);
    assertThat(badKey.json().has("error")).isTrue();

    Response notData = rest.get("/not-a-data-path");
    assertThat(notData.status()).isEqualTo(404);
    assertThat(notData.json().has("error")).isTrue();

    assertJson(rest.get("/err.json"), 200, "null");
  }

  @Test
  void printSilentPrettyAndExportFormat() {
    Response silent = rest.put("/print.json?print=silent", "{\"a\":{\".value\":1,\".priority\":5}}");
    assertThat(silent.status()).isEqualTo(204);
    assertThat(silent.body()).isEmpty();
    assertThat(rest.get("/print.json?print=pretty").body()).contains("\n");
    assertJson(rest.get("/print.json"), 200, "{\"a\":1}");
    assertJson(rest.get("/print.json?format=export"), 200, "{\"a\":{\".value\":1,\".priority\":5}}");
    assertJson(rest.get("/print.json?shallow=true"), 200, "{\"a\":true}");
  }

  @Test
  void healthAndMetrics() {
    assertJson(rest.get("/health"), 200, "{\"status\":\"ok\"}");
    rest.put("/metrics-probe.json", "1");
    JsonNode metrics = rest.get("/.metrics.json").json();
    assertThat(metrics.at("/gateway/writes/accepted").asLong()).isPositive();
    assertThat(metrics.at("/gateway/requests/PUT").asLong()).isPositive();
    assertThat(metrics.at("/processor/writes").asLong()).isPositive();
    assertThat(metrics.at("/processor/flushes").isMissingNode()).isFalse();
  }

  @Test
  void corsPreflightIsAnswered() {
    Response preflight = rest.send("OPTIONS", "/x.json", null, "Origin", "http://app.example",
        "Access-Control-Request-Method", "PUT");
    assertThat(preflight.status()).isEqualTo(204);
    assertThat(preflight.header("Access-Control-Allow-Origin")).contains("*");
    assertThat(preflight.header("Access-Control-Allow-Methods").orElseThrow()).contains("PATCH");
  }

  @Test
  void hundredConcurrentPutsAreAllAcknowledgedAndReadable() {
    List<CompletableFuture<Response>> puts = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      puts.add(rest.sendAsync("PUT", "/concurrent/k" + i + ".json", "{\"i\":" + i + "}"));
    }
    for (int i = 0; i < 100; i++) {
      assertJson(puts.get(i).join(), 200, "{\"i\":" + i + "}");
    }
    for (int i = 0; i < 100; i++) {
      assertJson(rest.get("/concurrent/k" + i + ".json"), 200, "{\"i\":" + i + "}");
    }
    assertThat(rest.get("/concurrent.json?shallow=true").json().size()).isEqualTo(100);
  }

  @Test
  void everyStageOfTheWritePathIsMeasuredForPrometheus() {
    for (int i = 0; i < 5; i++) {
      assertThat(rest.put("/stages/" + i + ".json", String.valueOf(i)).status()).isEqualTo(200);
    }
    Response prometheus = rest.get("/metrics");
    assertThat(prometheus.status()).isEqualTo(200);
    assertThat(prometheus.header("Content-Type").orElse("")).startsWith("text/plain; version=0.0.4");
    String text = prometheus.body();
    for (String series : List.of(
        "canopy_gateway_write_log_append_ms_count",      // gateway -> Kafka
        "canopy_processor_intake_lag_ms_count",          // Kafka -> processor
        "canopy_processor_batch_writes_count",           // batch size
        "canopy_processor_flush_time_ms_count",          // flush time
        "canopy_gateway_write_verdict_ms_count",         // request -> verdict
        "canopy_pusher_sessions", "canopy_pusher_listeners", "canopy_pusher_outbox_depth_max",
        "canopy_gateway_web_socket_open")) {
      assertThat(text).as(series).containsPattern("(?m)^" + series + "(\\{[^}]*\\})? [0-9]");
    }
    assertThat(valueOf(text, "canopy_gateway_write_verdict_ms_count")).isGreaterThanOrEqualTo(5);
    assertThat(valueOf(text, "canopy_processor_intake_lag_ms_count")).isGreaterThanOrEqualTo(5);
    JsonNode json = rest.get("/.metrics.json").json();
    assertThat(json.at("/processor/intakeLagMs/count").asLong()).isGreaterThanOrEqualTo(5);
    assertThat(json.at("/gateway/writeVerdictMs/p50").isNumber()).isTrue();
  }

  private static double valueOf(String text, String series) {
    for (String line : text.split("\n")) {
      if (line.startsWith(series + " ")) {
        return Double.parseDouble(line.substring(series.length() + 1));
      }
    }
    throw new AssertionError("no " + series);
  }
}
