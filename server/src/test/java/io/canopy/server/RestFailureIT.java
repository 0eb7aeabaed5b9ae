package io.canopy.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.canopy.server.embedded.EmbeddedKafka;
import io.canopy.server.testing.RestClient;
import io.canopy.server.testing.RestClient.Response;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The REST API when things go wrong outside the request: bodies over the limit (413) and Kafka going away (503
 * within the write timeout, never a hang). Kafka runs separately here so the test can stop it under the server.
 */
class RestFailureIT {
  private static final long WRITE_TIMEOUT_MS = 2_000;
  private static final int MAX_BODY_BYTES = 1024;

  @TempDir
  Path dir;

  private EmbeddedKafka kafka;
  private CanopyServer server;

  private RestClient start() {
    kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0);
    server = CanopyServer.start(ServerConfig.parse(List.of("--kafka", kafka.bootstrapServers(),
        "--data-dir", dir.toString(), "--host", "127.0.0.1", "--port", "0",
        "--write-timeout-ms", String.valueOf(WRITE_TIMEOUT_MS), "--max-body-bytes", String.valueOf(MAX_BODY_BYTES)),
        Map.of()));
    return new RestClient(server.url());
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  void bodiesOverTheLimitAre413WithOrWithoutContentLength() throws Exception {
    RestClient rest = start();
    String big = "\"" + "x".repeat(MAX_BODY_BYTES) + "\"";

    Response declared = rest.put("/big.json", big);
    assertThat(declared.status()).isEqualTo(413);
    assertThat(declared.json().get("error").asText()).contains("Payload too large");

    // Chunked: the limit is enforced while reading.
    HttpResponse<String> chunked = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(
        HttpRequest.newBuilder(URI.create(server.url() + "/big.json"))
            .PUT(HttpRequest.BodyPublishers.ofInputStream(
                () -> new ByteArrayInputStream(big.getBytes(StandardCharsets.UTF_8))))
            .build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(chunked.statusCode()).isEqualTo(413);

    assertThat(rest.put("/big.json", "\"small\"").status()).isEqualTo(200);
    assertThat(rest.get("/big.json").json().asText()).isEqualTo("small");
  }

  @Test
  void writesAnswer503WhenKafkaIsGoneInsteadOfHanging() {
    RestClient rest = start();
    assertThat(rest.put("/k.json", "1").status()).isEqualTo(200);

    kafka.close();
    long start = System.nanoTime();
    Response r = rest.put("/k.json", "2");
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertThat(r.status()).isEqualTo(503);
    assertThat(r.json().get("error").asText()).contains("temporarily unavailable");
    assertThat(took).isLessThan(Duration.ofMillis(WRITE_TIMEOUT_MS + 5_000));
  }
}
