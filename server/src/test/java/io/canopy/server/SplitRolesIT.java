package io.canopy.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.canopy.server.embedded.EmbeddedKafka;
import io.canopy.server.testing.FreePorts;
import io.canopy.server.testing.RestClient;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway and processor roles as separate servers on shared Kafka and MongoDB (the MongoDB stand-in): writes
 * flow from one to the other, both answer {@code /health} and {@code /metrics}, and readiness turns 503 when the
 * store goes away.
 */
class SplitRolesIT {
  @TempDir
  Path dir;

  private EmbeddedKafka kafka;
  private MongoServer mongo;
  private CanopyServer processor;
  private CanopyServer gateway;

  @AfterEach
  void stop() {
    for (AutoCloseable c : new AutoCloseable[] {gateway, processor}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception e) {
        // keep closing
      }
    }
    if (mongo != null) {
      mongo.shutdownNow();
    }
    if (kafka != null) {
      kafka.close();
    }
  }

  private CanopyServer start(String role, int port) {
    InetSocketAddress addr = mongo.getLocalAddress();
    return CanopyServer.start(ServerConfig.parse(List.of(role, "--kafka", kafka.bootstrapServers(),
        "--mongo", "mongodb://127.0.0.1:" + addr.getPort() + "/?serverSelectionTimeoutMS=2000",
        "--data-dir", dir.resolve(role).toString(), "--host", "127.0.0.1", "--port", String.valueOf(port)),
        Map.of()));
  }

  @Test
  void rolesShareKafkaAndTheStoreAndReportTheirHealth() {
    kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0);
    mongo = new MongoServer(new MemoryBackend());
    mongo.bind("127.0.0.1", 0);
    int processorPort = FreePorts.next();
    processor = start("processor", processorPort);
    gateway = start("gateway", 0);
    RestClient rest = new RestClient(gateway.url());
    RestClient processorHttp = new RestClient("http://127.0.0.1:" + processorPort);

    assertThat(rest.put("/split/a.json?ns=roles", "{\"x\":1}").status()).isEqualTo(200);
    assertThat(rest.get("/split.json?ns=roles").body()).isEqualTo("{\"a\":{\"x\":1}}");

    assertThat(rest.get("/health").status()).isEqualTo(200);
    assertThat(processorHttp.get("/health").status()).isEqualTo(200);
    String metrics = processorHttp.get("/metrics").body();
    assertThat(metrics).contains("canopy_processor_writes ").contains("canopy_processor_flush_time_ms_count");
    assertThat(processorHttp.get("/split.json").status()).isEqualTo(404); // a processor serves no data

    mongo.shutdownNow();
    mongo = null;
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      RestClient.Response down = processorHttp.get("/health");
      assertThat(down.status()).isEqualTo(503);
      assertThat(down.json().at("/problems/store").asText()).startsWith("unreachable");
    });
    await().atMost(Duration.ofSeconds(30)).until(() -> rest.get("/health").status() == 503);
  }
}
