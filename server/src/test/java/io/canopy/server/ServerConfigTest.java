package io.canopy.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.canopy.core.rules.RulesDocument;
import io.canopy.gateway.GatewayConfig;
import io.canopy.gateway.auth.AuthConfig;
import io.canopy.processor.ProcessorConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServerConfigTest {

  private static ServerConfig parse(String... args) {
    return ServerConfig.parse(List.of(args), Map.of());
  }

  @Test
  void defaultsAreAllInOneUnderDotData() {
    ServerConfig c = ServerConfig.defaults();
    assertThat(c.role()).isEqualTo(Role.ALL);
    assertThat(c.host()).isEqualTo("0.0.0.0");
    assertThat(c.port()).isEqualTo(9000);
    assertThat(c.dataDir()).isEqualTo(Path.of("./data"));
    assertThat(c.embeddedKafka()).isTrue();
    assertThat(c.mongo()).isNull();
    assertThat(c.partitions()).isEqualTo(4);
    assertThat(c.batchOps()).isEqualTo(ProcessorConfig.DEFAULT_MAX_BATCH_OPS);
    assertThat(c.batchDelayMs()).isEqualTo(ProcessorConfig.DEFAULT_MAX_BATCH_DELAY_MS);
    assertThat(c.defaultNamespace()).isEqualTo("default");
    assertThat(c.writeTimeoutMs()).isEqualTo(30_000);
    assertThat(c.maxBodyBytes()).isEqualTo(256L * 1024 * 1024);
    assertThat(c.kafkaDir()).isEqualTo(Path.of("./data/kafka"));
    assertThat(c.storeDir()).isEqualTo(Path.of("./data/store"));
  }

  @Test
  void authFlagsMapOntoTheGatewaysAuthConfig() throws Exception {
    AuthConfig defaults = ServerConfig.defaults().gatewayConfig("k:1").auth();
    assertThat(defaults.devMode()).isTrue();
    assertThat(defaults.acceptUnverifiedInDevMode()).isTrue();
    assertThat(defaults.hasNoKeys()).isTrue();

    Path pem = Files.createTempFile("canopy-key", ".pem");
    Path jwks = Files.createTempFile("canopy-jwks", ".json");
    try {
      KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
      rsa.initialize(2048);
      Files.writeString(pem, "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(
          rsa.generateKeyPair().getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n");
      Files.writeString(jwks, "{\"keys\":[]}");
      AuthConfig auth = parse("--dev-mode", "false", "--jwt-secret", "s3cret", "--jwt-public-key-file",
          pem.toString(), "--jwks-file", jwks.toString(), "--jwt-audience", "my-project", "--jwt-issuer",
          "https://securetoken.google.com/my-project").gatewayConfig("k:1").auth();
      assertThat(auth.devMode()).isFalse();
      assertThat(auth.hs256Secrets()).containsExactly("s3cret");
      assertThat(auth.publicKeyPems()).hasSize(1);
      assertThat(auth.jwksFile()).isEqualTo(jwks);
      assertThat(auth.audience()).isEqualTo("my-project");
      assertThat(auth.issuer()).isEqualTo("https://securetoken.google.com/my-project");
      assertThat(auth.toString()).doesNotContain("s3cret");

      AuthConfig fromEnv = ServerConfig.parse(List.of(), Map.of("CANOPY_DEV_MODE", "false", "CANOPY_JWT_SECRET",
          "env-secret")).gatewayConfig("k:1").auth();
      assertThat(fromEnv.devMode()).isFalse();
      assertThat(fromEnv.hs256Secrets()).containsExactly("env-secret");
    } finally {
      Files.deleteIfExists(pem);
      Files.deleteIfExists(jwks);
    }
    assertThatThrownBy(() -> parse("--dev-mode", "maybe")).isInstanceOf(UsageException.class)
        .hasMessageContaining("--dev-mode");
    assertThatThrownBy(() -> parse("--jwt-public-key-file", "/no/such/key.pem")).isInstanceOf(UsageException.class)
        .hasMessageContaining("--jwt-public-key-file");
    assertThatThrownBy(() -> parse("--jwks-file", "/no/such/jwks.json")).isInstanceOf(UsageException.class)
        .hasMessageContaining("--jwks-file");
    assertThat(ServerConfig.usage()).contains("--dev-mode", "CANOPY_JWT_SECRET", "--jwks-file");
  }

  @Test
  void flagsInBothForms() {
    ServerConfig c = parse("--port", "9100", "--host=127.0.0.1", "--data-dir", "/srv/canopy", "--partitions=8",
        "--batch-ops", "50", "--batch-delay-ms", "5", "--default-ns", "shop");
    assertThat(c.port()).isEqualTo(9100);
    assertThat(c.host()).isEqualTo("127.0.0.1");
    assertThat(c.dataDir()).isEqualTo(Path.of("/srv/canopy"));
    assertThat(c.partitions()).isEqualTo(8);
    assertThat(c.batchOps()).isEqualTo(50);
    assertThat(c.batchDelayMs()).isEqualTo(5);
    assertThat(c.defaultNamespace()).isEqualTo("shop");
  }

  @Test
  void environmentFillsInAndFlagsWin() {
    Map<String, String> env = Map.of("CANOPY_PORT", "9200", "CANOPY_DATA_DIR", "/env/data",
        "CANOPY_KAFKA", "k1:9092,k2:9092", "CANOPY_MONGO", " ", "UNRELATED", "x");
    ServerConfig c = ServerConfig.parse(List.of("--port", "9300"), env);
    assertThat(c.port()).isEqualTo(9300);
    assertThat(c.dataDir()).isEqualTo(Path.of("/env/data"));
    assertThat(c.kafka()).isEqualTo("k1:9092,k2:9092");
    assertThat(c.embeddedKafka()).isFalse();
    assertThat(c.mongo()).as("blank means absent").isNull();
  }

  @Test
  void roleAsFlagOrFirstArgument() {
    String[] external = {"--kafka", "k:9092", "--mongo", "mongodb://m:27017"};
    assertThat(ServerConfig.parse(List.of("gateway", external[0], external[1], external[2], external[3]), Map.of())
        .role()).isEqualTo(Role.GATEWAY);
    assertThat(parse("--role", "processor", "--kafka", "k:9092", "--mongo", "mongodb://m").role())
        .isEqualTo(Role.PROCESSOR);
    assertThat(Role.GATEWAY.runsProcessor()).isFalse();
    assertThat(Role.PROCESSOR.runsGateway()).isFalse();
    assertThat(Role.ALL.runsGateway() && Role.ALL.runsProcessor()).isTrue();
  }

  @Test
  void splitRolesNeedExternalKafkaAndMongo() {
    assertThatThrownBy(() -> parse("gateway")).isInstanceOf(UsageException.class)
        .hasMessageContaining("--role gateway needs --kafka and --mongo");
    assertThatThrownBy(() -> parse("processor", "--kafka", "k:1")).isInstanceOf(UsageException.class);
  }

  @Test
  void badCommandLinesAreUsageErrors() {
    assertThatThrownBy(() -> parse("--bogus", "1")).isInstanceOf(UsageException.class)
        .hasMessage("unknown option --bogus");
    assertThatThrownBy(() -> parse("--port")).hasMessage("option --port needs a value");
    assertThatThrownBy(() -> parse("--port", "--host", "x")).hasMessage("option --port needs a value");
    assertThatThrownBy(() -> parse("--port", "abc")).hasMessageContaining("--port must be a whole number");
    assertThatThrownBy(() -> parse("--port", "70000")).hasMessageContaining("--port must be 0..65535");
    assertThatThrownBy(() -> parse("--port", "99999999999")).hasMessageContaining("out of range");
    assertThatThrownBy(() -> parse("--role", "boss")).hasMessageContaining("all, gateway or processor");
    assertThatThrownBy(() -> parse("stray")).hasMessage("unexpected argument \"stray\"");
    assertThatThrownBy(() -> parse("--partitions", "0")).hasMessageContaining("--partitions");
    assertThatThrownBy(() -> parse("--default-ns", "Bad_NS")).hasMessageContaining("--default-ns");
    assertThatThrownBy(() -> parse("--mongo", "localhost:27017")).hasMessageContaining("mongodb://");
    assertThatThrownBy(() -> parse("--batch-ops", "0")).hasMessageContaining("--batch-ops");
    assertThatThrownBy(() -> parse("--write-timeout-ms", "0")).hasMessageContaining("--write-timeout-ms");
    assertThatThrownBy(() -> parse("--max-body-bytes", "300000000")).hasMessageContaining("--max-body-bytes");
  }

  @Test
  void helpIsRecognisedAndListsEveryOption() {
    assertThat(ServerConfig.isHelp(List.of("--port", "1", "--help"))).isTrue();
    assertThat(ServerConfig.isHelp(List.of("-h"))).isTrue();
    String usage = ServerConfig.usage();
    for (ServerOption o : ServerOption.values()) {
      assertThat(usage).contains(o.flag()).contains(o.env());
    }
  }

  @Test
  void componentConfigsFollowTheSettings() {
    ServerConfig c = parse("--port", "0", "--host", "127.0.0.1", "--partitions", "6", "--batch-ops", "7",
        "--batch-delay-ms", "3", "--default-ns", "shop", "--write-timeout-ms", "1500", "--max-body-bytes", "4096");
    GatewayConfig g = c.gatewayConfig("k:9092");
    assertThat(g.port()).isZero();
    assertThat(g.host()).isEqualTo("127.0.0.1");
    assertThat(g.partitions()).isEqualTo(6);
    assertThat(g.defaultNamespace()).isEqualTo("shop");
    assertThat(g.bootstrapServers()).isEqualTo("k:9092");
    assertThat(g.writeTimeoutMs()).isEqualTo(1500);
    assertThat(g.maxRestBodyBytes()).isEqualTo(4096);
    ProcessorConfig p = c.processorConfig("k:9092");
    assertThat(p.maxBatchOps()).isEqualTo(7);
    assertThat(p.maxBatchDelayMs()).isEqualTo(3);
    assertThat(p.writesTopic()).isEqualTo(g.writesTopic());
    assertThat(c.pusherConfig("k:9092", "gw-1").partitions()).isEqualTo(6);
    assertThat(c.pusherConfig("k:9092", "gw-1").changesTopic()).isEqualTo(p.changesTopic());
  }

  @Test
  void mongoCredentialsAreRedactedInLogs() {
    assertThat(CanopyServer.redactCredentials("mongodb://user:secret@db1:27017,db2/?w=majority"))
        .isEqualTo("mongodb://***@db1:27017,db2/?w=majority");
    assertThat(CanopyServer.redactCredentials("mongodb+srv://u:p@cluster")).isEqualTo("mongodb+srv://***@cluster");
    assertThat(CanopyServer.redactCredentials("mongodb://db:27017")).isEqualTo("mongodb://db:27017");
  }

  @Test
  void rulesFileIsCompiledAndBecomesTheDefaultOfProcessorAndPusher() throws Exception {
    Path dir = Files.createTempDirectory("rules");
    Path good = Files.writeString(dir.resolve("good.json"), "{\"rules\": {\".read\": \"auth != null\"}}");
    ServerConfig c = parse("--rules", good.toString());
    assertThat(c.defaultRules().source()).contains("auth != null");
    assertThat(c.processorConfig("k:1").defaultRules()).isSameAs(c.defaultRules());
    assertThat(c.pusherConfig("k:1", "gw").defaultRules()).isSameAs(c.defaultRules());
    assertThat(ServerConfig.defaults().defaultRules()).isSameAs(RulesDocument.ALLOW_ALL);

    Path bad = Files.writeString(dir.resolve("bad.json"), "{\n  \"rules\": {\n    \".read\": \"auth.\"\n  }\n}");
    assertThatThrownBy(() -> parse("--rules", bad.toString())).isInstanceOf(UsageException.class)
        .hasMessageContaining("bad.json").hasMessageContaining("line 3");
    assertThatThrownBy(() -> parse("--rules", dir.resolve("missing.json").toString()))
        .isInstanceOf(UsageException.class).hasMessageContaining("cannot be read");
  }

  @Test
  void prodNeedsRulesAndAKeyAndTurnsDevModeOff() throws Exception {
    Path rules = Files.writeString(Files.createTempDirectory("rules").resolve("r.json"), "{\"rules\": {}}");
    assertThatThrownBy(() -> parse("--prod")).isInstanceOf(UsageException.class).hasMessageContaining("--rules");
    assertThatThrownBy(() -> parse("--prod", "--rules", rules.toString())).isInstanceOf(UsageException.class)
        .hasMessageContaining("--jwt-secret");
    assertThatThrownBy(() -> parse("--prod", "--rules", rules.toString(), "--jwt-secret", "s", "--dev-mode", "true"))
        .isInstanceOf(UsageException.class).hasMessageContaining("exclude");
    ServerConfig prod = parse("--prod", "--rules", rules.toString(), "--jwt-secret", "s");
    assertThat(prod.prod()).isTrue();
    assertThat(prod.auth().devMode()).isFalse();
    ServerConfig fromEnv = ServerConfig.parse(List.of("--rules", rules.toString()), Map.of("CANOPY_PROD", "true",
        "CANOPY_JWT_SECRET", "s"));
    assertThat(fromEnv.prod()).isTrue();
    assertThat(parse().prod()).isFalse();
  }
}
