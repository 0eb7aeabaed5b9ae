package io.canopy.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * docker-compose.yml against what the roles actually read: every Canopy service's command and CANOPY_* variables
 * parse into a valid {@link ServerConfig} for its role, they point at services that exist on the ports those
 * services listen on, all roles agree on the partition count, the load balancer reaches every gateway on its
 * port, and every service has a health check (or waits for healthy ones).
 */
class ComposeFileTest {
  private static final Path ROOT = Path.of("..");
  private static Map<String, Map<String, Object>> services;

  @BeforeAll
  @SuppressWarnings("unchecked")
  static void read() throws IOException {
    try (Reader in = Files.newBufferedReader(ROOT.resolve("docker-compose.yml"))) {
      Map<String, Object> compose = new Yaml().load(in);
      services = (Map<String, Map<String, Object>>) compose.get("services");
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, String> env(Map<String, Object> service) {
    Map<String, String> out = new LinkedHashMap<>();
    Object env = service.get("environment");
    if (env instanceof Map<?, ?> m) {
      m.forEach((k, v) -> out.put(String.valueOf(k), String.valueOf(v)));
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static List<String> command(Map<String, Object> service) {
    return (List<String>) service.getOrDefault("command", List.of());
  }

  private static Map<String, Map<String, Object>> canopyServices() {
    Map<String, Map<String, Object>> out = new LinkedHashMap<>();
    services.forEach((name, s) -> {
      if ("canopy:local".equals(s.get("image"))) {
        out.put(name, s);
      }
    });
    return out;
  }

  @Test
  void theClusterHasEveryPart() {
    assertThat(services).containsKeys("kafka", "mongo", "redis", "processor-1", "processor-2", "gateway-1", "gateway-2",
        "lb");
    assertThat(canopyServices()).containsOnlyKeys("processor-1", "processor-2", "gateway-1", "gateway-2");
    assertThat(Files.exists(ROOT.resolve("Dockerfile"))).isTrue();
  }

  @Test
  void everyCanopyServiceParsesIntoAValidConfigForItsRole() {
    Set<String> known = new HashSet<>();
    for (ServerOption o : ServerOption.values()) {
      known.add(o.env());
    }
    Set<Integer> partitions = new HashSet<>();
    canopyServices().forEach((name, s) -> {
      Map<String, String> env = env(s);
      for (String var : env.keySet()) {
        assertThat(known).as("%s sets %s, which no role reads", name, var).contains(var);
      }
      ServerConfig config = ServerConfig.parse(command(s), env);
      Role expected = name.startsWith("gateway") ? Role.GATEWAY : Role.PROCESSOR;
      assertThat(config.role()).as(name).isEqualTo(expected);
      partitions.add(config.partitions());

      // Kafka and MongoDB addresses name services of this file, on the ports they listen on.
      String kafka = config.kafka();
      assertThat(kafka).as(name).isEqualTo("kafka:" + kafkaPort());
      URI mongo = URI.create(config.mongo());
      assertThat(services).as(name).containsKey(mongo.getHost());
      assertThat(mongo.getPort() == -1 ? 27017 : mongo.getPort()).isEqualTo(27017);
      assertThat(config.mongo()).as("acknowledged durability needs w=majority and journal")
          .contains("w=majority").contains("journal=true").contains("replicaSet=rs0");
      assertThat(services.get("mongo").get("command").toString()).contains("rs0");
      // Redis (the gateways' shared state) names the redis service on the port it listens on.
      assertThat(config.redis()).as(name + " shares its cluster state in Redis").isNotNull();
      URI redis = URI.create(config.redis());
      assertThat(services).as(name).containsKey(redis.getHost());
      assertThat(redis.getPort() == -1 ? 6379 : redis.getPort()).as(name).isEqualTo(redisPort());
      if (expected == Role.GATEWAY) {
        assertThat(s.get("depends_on").toString()).as(name + " waits for Redis").contains("redis");
      }
      assertThat(s.get("healthcheck")).as(name).isNotNull();
      assertThat(s.get("healthcheck").toString()).contains("/" + config.port()).contains("/health");
    });
    assertThat(partitions).as("every role must use the topics' partition count").hasSize(1);
  }

  /** The port redis-server listens on: its {@code --port} if the command sets one, else Redis's 6379. */
  private static int redisPort() {
    List<String> command = command(services.get("redis"));
    int i = command.indexOf("--port");
    return i >= 0 ? Integer.parseInt(command.get(i + 1)) : 6379;
  }

  private static String kafkaPort() {
    String advertised = env(services.get("kafka")).get("KAFKA_ADVERTISED_LISTENERS");
    Matcher m = Pattern.compile("PLAINTEXT://kafka:(\\d+)").matcher(advertised);
    assertThat(m.find()).as("kafka advertises itself as kafka:<port>").isTrue();
    return m.group(1);
  }

  @Test
  void theLoadBalancerReachesEveryGatewayOnItsPort() throws IOException {
    String nginx = Files.readString(ROOT.resolve("deploy/nginx.conf"));
    List<String> upstream = new ArrayList<>();
    Matcher m = Pattern.compile("server\\s+([a-z0-9-]+):(\\d+)").matcher(nginx);
    while (m.find()) {
      upstream.add(m.group(1) + ":" + m.group(2));
    }
    List<String> gateways = new ArrayList<>();
    canopyServices().forEach((name, s) -> {
      if (name.startsWith("gateway")) {
        gateways.add(name + ":" + ServerConfig.parse(command(s), env(s)).port());
      }
    });
    assertThat(upstream).containsExactlyInAnyOrderElementsOf(gateways);
    assertThat(nginx).contains("proxy_set_header Upgrade $http_upgrade").contains("proxy_buffering off");
    assertThat(services.get("lb").get("ports").toString()).contains("9000:9000");
    assertThat(services.get("lb").get("volumes").toString()).contains("./deploy/nginx.conf");
  }

  @Test
  void infrastructureHasHealthChecksAndVolumes() {
    for (String name : Arrays.asList("kafka", "mongo", "redis")) {
      assertThat(services.get(name).get("healthcheck")).as(name).isNotNull();
      assertThat(services.get(name).get("volumes")).as(name).isNotNull();
    }
    assertThat(services.get("redis").get("image").toString()).startsWith("redis:7");
    assertThat(services.get("redis").get("healthcheck").toString()).contains("ping");
    assertThat(env(services.get("kafka")).get("KAFKA_AUTO_CREATE_TOPICS_ENABLE"))
        .as("topics are created by Canopy with the configured partitions").isEqualTo("false");
  }
}
