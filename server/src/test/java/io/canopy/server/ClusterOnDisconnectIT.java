package io.canopy.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.canopy.presence.testing.RedisFixture;
import io.canopy.server.embedded.EmbeddedKafka;
import io.canopy.server.testing.RestClient;
import io.canopy.server.testing.WsClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three gateways and a processor on shared Kafka, MongoDB (the stand-in) and a real Redis: a client's onDisconnect
 * writes survive the crash of its gateway and run exactly once, on one survivor, once the crashed gateway's lease
 * expired; a clean close still runs them on the client's own gateway, once. An increment in the queue makes a
 * second run visible.
 */
class ClusterOnDisconnectIT {
  private static final long LEASE_TTL_MS = 2_000;
  private static final String NS = "crash";

  @TempDir
  Path dir;

  private EmbeddedKafka kafka;
  private MongoServer mongo;
  private RedisFixture redis;
  private final List<CanopyServer> servers = new ArrayList<>();

  @BeforeEach
  void startInfrastructure() {
    kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0);
    mongo = new MongoServer(new MemoryBackend());
    mongo.bind("127.0.0.1", 0);
    redis = RedisFixture.start();
  }

  @AfterEach
  void stop() {
    for (int i = servers.size() - 1; i >= 0; i--) {
      try {
        servers.get(i).close();
      } catch (RuntimeException e) {
        // keep closing
      }
    }
    if (mongo != null) {
      mongo.shutdownNow();
    }
    if (kafka != null) {
      kafka.close();
    }
    if (redis != null) {
      redis.close();
    }
  }

  private CanopyServer start(String role, String name) {
    CanopyServer server = CanopyServer.start(ServerConfig.parse(List.of(role, "--kafka", kafka.bootstrapServers(),
        "--mongo", "mongodb://127.0.0.1:" + mongo.getLocalAddress().getPort() + "/?serverSelectionTimeoutMS=2000",
        "--redis", redis.uri(), "--lease-ttl-ms", String.valueOf(LEASE_TTL_MS),
        "--data-dir", dir.resolve(name).toString(), "--host", "127.0.0.1", "--port", "0"), Map.of()));
    servers.add(server);
    return server;
  }

  private static JsonNode ok(WsClient client, String action, String body) throws Exception {
    JsonNode reply = client.call(action, body);
    assertThat(reply.path("s").asText()).as(action + " " + body).isEqualTo("ok");
    return reply;
  }

  private static long reapedWrites(RestClient gateway) {
    return gateway.get("/.metrics.json").json().at("/gateway/cluster/reapedWrites").asLong();
  }

  @Test
  void aCrashedGatewaysOnDisconnectWritesRunExactlyOnceOnASurvivor() throws Exception {
    start("processor", "processor");
    CanopyServer a = start("gateway", "a");
    RestClient b = new RestClient(start("gateway", "b").url());
    RestClient c = new RestClient(start("gateway", "c").url());

    assertThat(b.put("/presence/alice.json?ns=" + NS, "\"online\"").status()).isEqualTo(200);
    WsClient alice = WsClient.connect(a.port(), NS);
    ok(alice, "o", "{\"p\":\"/presence/alice\",\"d\":\"offline\"}");
    ok(alice, "om", "{\"p\":\"/counter\",\"d\":{\"runs\":{\".sv\":{\"increment\":1}}}}");
    ok(alice, "o", "{\"p\":\"/typing/alice\",\"d\":true}");
    ok(alice, "oc", "{\"p\":\"/typing\",\"d\":null}");
    await().atMost(Duration.ofSeconds(10)).until(() ->
        b.get("/.metrics.json").json().at("/gateway/cluster/connections/" + NS).asLong() == 1);

    long crashed = System.nanoTime();
    a.crashForTest();
    alice.close();
    assertThat(b.get("/presence/alice.json?ns=" + NS).body()).as("nothing runs before the lease expires")
        .isEqualTo("\"online\"");

    await().atMost(Duration.ofMillis(LEASE_TTL_MS + 8_000)).untilAsserted(() -> {
      assertThat(b.get("/presence/alice.json?ns=" + NS).body()).isEqualTo("\"offline\"");
      assertThat(b.get("/counter/runs.json?ns=" + NS).body()).isEqualTo("1");
    });
    assertThat(Duration.ofNanos(System.nanoTime() - crashed)).as("ran once the lease expired")
        .isGreaterThanOrEqualTo(Duration.ofMillis(LEASE_TTL_MS - 500));
    assertThat(b.get("/typing.json?ns=" + NS).body()).as("a cancelled write does not run").isEqualTo("null");

    // exactly once: one survivor claimed both writes, and nobody runs them again over further reap rounds
    await().during(Duration.ofMillis(LEASE_TTL_MS)).atMost(Duration.ofMillis(LEASE_TTL_MS + 2_000)).until(() ->
        b.get("/counter/runs.json?ns=" + NS).body().equals("1"));
    assertThat(reapedWrites(b) + reapedWrites(c)).isEqualTo(2);
    assertThat(List.of(reapedWrites(b), reapedWrites(c))).containsExactlyInAnyOrder(0L, 2L);
    assertThat(b.get("/.metrics.json").json().at("/gateway/cluster/connections").has(NS))
        .as("the crashed gateway's connections are no longer counted").isFalse();
  }

  @Test
  void aCleanCloseRunsTheQueueOnItsOwnGatewayOnceAndLeavesNothingToReap() throws Exception {
    start("processor", "processor");
    CanopyServer a = start("gateway", "a");
    RestClient b = new RestClient(start("gateway", "b").url());

    WsClient bob = WsClient.connect(a.port(), NS);
    ok(bob, "o", "{\"p\":\"/presence/bob\",\"d\":\"offline\"}");
    ok(bob, "om", "{\"p\":\"/counter\",\"d\":{\"bob\":{\".sv\":{\"increment\":1}}}}");
    bob.close();
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      assertThat(b.get("/presence/bob.json?ns=" + NS).body()).isEqualTo("\"offline\"");
      assertThat(b.get("/counter/bob.json?ns=" + NS).body()).isEqualTo("1");
    });

    WsClient carol = WsClient.connect(a.port(), NS);
    ok(carol, "om", "{\"p\":\"/counter\",\"d\":{\"carol\":{\".sv\":{\"increment\":1}}}}");
    a.close(); // a clean stop closes carol's connection and runs her queue before giving the lease up
    carol.close();
    await().atMost(Duration.ofSeconds(10)).until(() -> b.get("/counter/carol.json?ns=" + NS).body().equals("1"));
    await().during(Duration.ofMillis(LEASE_TTL_MS)).atMost(Duration.ofMillis(LEASE_TTL_MS + 2_000)).until(() ->
        b.get("/counter.json?ns=" + NS).body().equals("{\"bob\":1,\"carol\":1}"));
    assertThat(reapedWrites(b)).isZero();
  }
}
