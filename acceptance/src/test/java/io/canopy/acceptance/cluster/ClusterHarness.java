package io.canopy.acceptance.cluster;

import io.canopy.acceptance.testing.CanopyProcess;
import io.canopy.acceptance.testing.FreePorts;
import io.canopy.acceptance.testing.Json;
import io.canopy.acceptance.testing.MongoStandIn;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The split-role cluster as separate processes on this machine, the way docker compose runs it: a Kafka broker
 * ({@code KafkaBrokerMain} from the server jar), the MongoDB stand-in ({@link MongoStandIn}, from this module's
 * test classpath), Redis when the server jar supports {@code --redis} ({@code /usr/bin/redis-server}, or the linux
 * x86_64 binary shipped in the embedded-redis jar), then processors and gateways
 * ({@code java -jar canopy-server.jar --role ...}) on shared Kafka, MongoDB and Redis. Every node gets a fixed free
 * port, so {@link ClusterNode#kill} and {@link ClusterNode#restart} bring it back at the same address.
 *
 * <p>Logs and data live under {@code target/cluster/} ({@code <node>.log}, {@code <node>-data/}); the directory is
 * emptied when a harness starts and the data directories are deleted when it closes (logs are kept). Every process
 * is killed on {@link #close}, and by a shutdown hook if the test JVM exits first. Heaps are small (the CI machine
 * has 2 cores) and the JIT stops at C1, which starts JVMs faster and leaves more CPU to the test.
 */
public final class ClusterHarness implements AutoCloseable {
  public static final Path DIR = Path.of("target", "cluster").toAbsolutePath();
  /** The same on every process (the processes refuse to start otherwise). */
  public static final int PARTITIONS = 4;
  /** A gateway silent this long counts as dead (when {@code --lease-ttl-ms} exists). */
  public static final long LEASE_TTL_MS = 2_000;
  /**
   * The gateways' write timeout: above the processors' consumer session timeout (10 s) plus a rebalance and a
   * roll-forward, so writes caught in a failover wait for the new owner instead of failing.
   */
  public static final long WRITE_TIMEOUT_MS = 60_000;
  private static final String KAFKA_MAIN = "io.canopy.server.embedded.KafkaBrokerMain";
  private static final String KAFKA_READY = "KAFKA READY";
  private static final String REDIS_READY = "Ready to accept connections";
  /** Debian's redis-server, used when installed; otherwise the linux x86_64 binary inside the embedded-redis jar. */
  private static final Path SYSTEM_REDIS = Path.of("/usr/bin/redis-server");
  private static final String EMBEDDED_REDIS_BINARY = "/redis-server-6.2.6-v5-linux-amd64";
  private static final List<String> JVM_FLAGS = List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
      "-XX:-UsePerfData");

  private final List<ClusterNode> nodes = new ArrayList<>();
  private final List<ClusterNode> processors = new ArrayList<>();
  private final List<ClusterNode> gateways = new ArrayList<>();
  private final Set<Integer> ports = new HashSet<>();
  private final Thread killOnExit = new Thread(this::killAll, "cluster-harness-kill");
  private final String help;
  private ClusterNode kafka;
  private ClusterNode mongo;
  private ClusterNode redis;

  private ClusterHarness(String help) {
    this.help = help;
  }

  /** A free port no other node of this cluster was given (each keeps its port over restarts). */
  private int freePort() {
    int port;
    do {
      port = FreePorts.next();
    } while (!ports.add(port));
    return port;
  }

  /**
   * Starts Kafka, MongoDB and (if supported) Redis in parallel, then {@code processorCount} processors and
   * {@code gatewayCount} gateways (all launched at once), and returns when every node is ready.
   */
  public static ClusterHarness start(int processorCount, int gatewayCount) {
    if (!Files.isRegularFile(CanopyProcess.JAR)) {
      throw new IllegalStateException("No server jar at " + CanopyProcess.JAR.toAbsolutePath()
          + ": build it first (mvn -pl server package)");
    }
    ClusterHarness cluster = new ClusterHarness(serverHelp());
    Runtime.getRuntime().addShutdownHook(cluster.killOnExit);
    try {
      cluster.startAll(processorCount, gatewayCount);
      return cluster;
    } catch (RuntimeException | Error e) {
      cluster.close();
      throw e;
    }
  }

  /**
   * True if {@code canopy-server.jar --help} lists {@code --redis}: gateways then share state in Redis.
   * {@code -Dcanopy.cluster.redis=false} runs the cluster without Redis anyway (as a server without the option).
   */
  public boolean redisSupported() {
    return help.contains("--redis ") && !"false".equals(System.getProperty("canopy.cluster.redis"));
  }

  public ClusterNode kafka() {
    return kafka;
  }

  public ClusterNode mongo() {
    return mongo;
  }

  public ClusterNode processor(int i) {
    return processors.get(i);
  }

  public ClusterNode gateway(int i) {
    return gateways.get(i);
  }

  public List<ClusterNode> processors() {
    return List.copyOf(processors);
  }

  public List<ClusterNode> gateways() {
    return List.copyOf(gateways);
  }

  /** The Redis process, or null when Redis is not used. */
  public ClusterNode redis() {
    return redis;
  }

  /** {@code redis://127.0.0.1:PORT}, or null when Redis is not used. */
  public String redisUri() {
    return redis == null ? null : "redis://127.0.0.1:" + redis.port();
  }

  private void startAll(int processorCount, int gatewayCount) {
    prepareDir();
    int kafkaPort = freePort();
    kafka = node("kafka", ClusterNode.Kind.KAFKA, kafkaPort, javaCommand("512m",
        List.of("-cp", CanopyProcess.JAR.toAbsolutePath().toString(), KAFKA_MAIN,
            "--port", String.valueOf(kafkaPort), "--dir", DIR.resolve("kafka-data").toString())), KAFKA_READY);
    int mongoPort = freePort();
    mongo = node("mongo", ClusterNode.Kind.MONGO, mongoPort, javaCommand("256m",
        List.of("-Dlogback.configurationFile=" + mongoLogbackConfig(), "-cp", testClassPath(),
            MongoStandIn.class.getName(), "--port", String.valueOf(mongoPort))), MongoStandIn.READY);
    if (redisSupported()) {
      int redisPort = freePort();
      redis = node("redis", ClusterNode.Kind.REDIS, redisPort, List.of(redisBinary().toString(),
          "--port", String.valueOf(redisPort), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"),
          REDIS_READY);
    }
    List<ClusterNode> infrastructure = new ArrayList<>(nodes);
    infrastructure.forEach(ClusterNode::launch);
    infrastructure.forEach(ClusterNode::awaitReady);

    for (int i = 1; i <= processorCount; i++) {
      processors.add(canopyNode("processor-" + i, ClusterNode.Kind.PROCESSOR, kafkaPort, mongoPort));
    }
    for (char c = 'a'; c < 'a' + gatewayCount; c++) {
      gateways.add(canopyNode("gateway-" + c, ClusterNode.Kind.GATEWAY, kafkaPort, mongoPort));
    }
    List<ClusterNode> roles = new ArrayList<>(processors);
    roles.addAll(gateways);
    roles.forEach(ClusterNode::launch);
    roles.forEach(ClusterNode::awaitReady);
  }

  private ClusterNode canopyNode(String name, ClusterNode.Kind kind, int kafkaPort, int mongoPort) {
    int port = freePort();
    List<String> args = new ArrayList<>(List.of("-jar", CanopyProcess.JAR.toAbsolutePath().toString(),
        "--role", kind == ClusterNode.Kind.GATEWAY ? "gateway" : "processor",
        "--host", "127.0.0.1",
        "--port", String.valueOf(port),
        "--kafka", "localhost:" + kafkaPort,
        "--mongo", "mongodb://127.0.0.1:" + mongoPort + "/?serverSelectionTimeoutMS=5000",
        "--partitions", String.valueOf(PARTITIONS),
        "--data-dir", DIR.resolve(name + "-data").toString(),
        "--write-timeout-ms", String.valueOf(WRITE_TIMEOUT_MS)));
    if (redis != null) {
      args.addAll(List.of("--redis", redisUri()));
      if (help.contains("--lease-ttl-ms ")) {
        args.addAll(List.of("--lease-ttl-ms", String.valueOf(LEASE_TTL_MS)));
      }
    }
    return node(name, kind, port, javaCommand("384m", args), null);
  }

  private ClusterNode node(String name, ClusterNode.Kind kind, int port, List<String> command, String readyLine) {
    ClusterNode node = new ClusterNode(name, kind, port, command, DIR.resolve(name + ".log"), readyLine);
    nodes.add(node);
    return node;
  }

  private static List<String> javaCommand(String heap, List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx" + heap);
    command.addAll(JVM_FLAGS);
    command.addAll(args);
    return command;
  }

  /** {@code /usr/bin/redis-server}, or the binary of the embedded-redis jar copied to {@code target/cluster}. */
  private static Path redisBinary() {
    if (Files.isExecutable(SYSTEM_REDIS)) {
      return SYSTEM_REDIS;
    }
    Path binary = DIR.resolve("redis-server");
    try (var in = ClusterHarness.class.getResourceAsStream(EMBEDDED_REDIS_BINARY)) {
      if (in == null) {
        throw new IllegalStateException("no redis-server: install it (apt-get install redis-server) or put"
            + " com.github.codemonstur:embedded-redis 1.4.4 on the test classpath");
      }
      Files.copy(in, binary);
      if (!binary.toFile().setExecutable(true)) {
        throw new IllegalStateException("cannot make " + binary + " executable");
      }
      return binary;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The test JVM's classpath (under failsafe the real one, not its manifest-only booter jar). */
  private static String testClassPath() {
    String cp = System.getProperty("surefire.test.class.path");
    return cp == null || cp.isBlank() ? System.getProperty("java.class.path") : cp;
  }

  /**
   * The stand-in runs on this module's test classpath, whose logback-test.xml would truncate the SDK wire log of
   * the test JVM: give it a console-only configuration of its own.
   */
  private static String mongoLogbackConfig() {
    Path config = DIR.resolve("logback-mongo.xml");
    try {
      Files.writeString(config, """
          <configuration>
            <appender name="CONSOLE" class="ch.qos.logback.core.ConsoleAppender">
              <encoder><pattern>%d{HH:mm:ss.SSS} %-5level [%thread] %logger{20} - %msg%n</pattern></encoder>
            </appender>
            <root level="WARN"><appender-ref ref="CONSOLE"/></root>
          </configuration>
          """, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return config.toString();
  }

  private static String serverHelp() {
    try {
      Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-jar", CanopyProcess.JAR.toAbsolutePath().toString(), "--help").redirectErrorStream(true).start();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("canopy-server.jar --help did not finish within 60 s");
      }
      return new String(out, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void prepareDir() {
    deleteRecursively(DIR);
    try {
      Files.createDirectories(DIR);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Saves each running processor's and gateway's {@code /.metrics.json} as {@code <node>-metrics.json} (latencies
   * per stage, for a slow or failed run), kills every process (gateways first, Kafka last) and deletes the data
   * directories.
   */
  @Override
  public void close() {
    for (ClusterNode node : nodes) {
      if ((node.kind() == ClusterNode.Kind.PROCESSOR || node.kind() == ClusterNode.Kind.GATEWAY) && node.isAlive()) {
        try {
          Files.writeString(DIR.resolve(node.name() + "-metrics.json"),
              Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(node.metrics()), StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException | AssertionError e) {
          // a diagnostic only
        }
      }
    }
    killAll();
    try {
      Runtime.getRuntime().removeShutdownHook(killOnExit);
    } catch (IllegalStateException shuttingDown) {
      // the hook runs anyway
    }
    try (Stream<Path> entries = Files.list(DIR)) {
      entries.filter(p -> p.getFileName().toString().endsWith("-data")).forEach(ClusterHarness::deleteRecursively);
    } catch (IOException ignored) {
      // best effort: mvn clean removes it too
    }
  }

  private void killAll() {
    for (int i = nodes.size() - 1; i >= 0; i--) {
      try {
        nodes.get(i).close();
      } catch (RuntimeException | AssertionError e) {
        // keep killing the others
      }
    }
  }

  private static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> {
        try {
          Files.deleteIfExists(path);
        } catch (IOException ignored) {
          // best effort
        }
      });
    } catch (IOException ignored) {
      // best effort
    }
  }
}
