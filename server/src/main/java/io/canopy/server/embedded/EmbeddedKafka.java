package io.canopy.server.embedded;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Apache Kafka broker running inside this JVM: KRaft mode, one node acting as broker and controller.
 * Used by the all-in-one server and by integration tests.
 *
 * <p>The log directory is formatted on first use and reused afterwards, so data survives a restart on the same
 * directory. The broker port is the one given, or a free one picked on every start when 0 is given; the controller
 * port is always picked free (nothing outside this JVM talks to it, and with a static quorum it is not persisted).
 *
 * <p>Durability: Kafka's defaults are kept. Kafka relies on replication rather than fsync, and with a single node
 * that means an acknowledged write sits in the OS page cache until the OS flushes it: it survives a crash of this
 * JVM but not a power loss or kernel crash. Pass {@code log.flush.interval.messages=1} in the overrides of
 * {@link #start(Path, int, Map)} to fsync every appended batch instead (slower).
 *
 * <p>Kafka's own fault handlers may halt the JVM on a fatal metadata error, as a standalone broker would.
 */
public final class EmbeddedKafka implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);

  private static final int NODE_ID = 1;
  private static final String CONTROLLER_LISTENER = "CONTROLLER";
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
  /** Attempts when a port we picked ourselves was taken by someone else before Kafka bound it. */
  private static final int BIND_ATTEMPTS = 3;

  /** Keys that define the node's identity and wiring; an override of them would break the embedded setup. */
  private static final Set<String> RESERVED_KEYS = Set.of(
      "process.roles", "node.id", "controller.quorum.voters", "controller.quorum.bootstrap.servers", "listeners",
      "advertised.listeners", "controller.listener.names", "inter.broker.listener.name",
      "listener.security.protocol.map", "log.dirs", "log.dir", "metadata.log.dir");

  private final KafkaRaftServer server;
  private final Path logDir;
  private final int brokerPort;
  private final AtomicBoolean closed = new AtomicBoolean();

  private EmbeddedKafka(KafkaRaftServer server, Path logDir, int brokerPort) {
    this.server = server;
    this.logDir = logDir;
    this.brokerPort = brokerPort;
  }

  /** Same as {@link #start(Path, int, Map)} without overrides. */
  public static EmbeddedKafka start(Path logDir, int brokerPort) {
    return start(logDir, brokerPort, Map.of());
  }

  /**
   * Starts the broker and returns once it answers clients.
   *
   * @param logDir     data directory; formatted if it holds no {@code meta.properties}, reused otherwise
   * @param brokerPort client port on localhost, or 0 to pick a free one
   * @param overrides  extra broker settings applied last (e.g. {@code log.flush.interval.messages}); the keys that
   *                   wire the node (listeners, roles, node id, directories) are rejected
   * @throws IllegalStateException if the broker does not start or answer within 30 s
   */
  public static EmbeddedKafka start(Path logDir, int brokerPort, Map<String, String> overrides) {
    if (brokerPort < 0 || brokerPort > 65535) {
      throw new IllegalArgumentException("brokerPort must be 0..65535: " + brokerPort);
    }
    Map<String, String> extra = overrides == null ? Map.of() : overrides;
    for (String key : extra.keySet()) {
      if (RESERVED_KEYS.contains(key)) {
        throw new IllegalArgumentException("Embedded Kafka setting '" + key + "' cannot be overridden");
      }
    }
    if (brokerPort != 0 && !isFree(brokerPort)) {
      // Fail fast and plainly: Kafka would report it only after starting its controller, with pages of traces.
      throw new IllegalStateException("Embedded Kafka broker port " + brokerPort + " is already in use");
    }
    long startNanos = System.nanoTime();
    Path dir = logDir.toAbsolutePath();
    boolean reused = prepareLogDir(dir);

    for (int attempt = 1; ; attempt++) {
      int port = brokerPort != 0 ? brokerPort : freePort();
      int controllerPort = freePort(port);
      KafkaRaftServer server = new KafkaRaftServer(
          KafkaConfig.fromProps(brokerProps(dir, port, controllerPort, extra), false), Time.SYSTEM);
      try {
        server.startup();
      } catch (RuntimeException e) {
        stopQuietly(server);
        // Our picked ports can be grabbed by another process between picking and binding: pick again.
        if (isBindFailure(e) && attempt < BIND_ATTEMPTS) {
          LOG.warn("Kafka could not bind its ports (broker {}, controller {}), retrying", port, controllerPort);
          continue;
        }
        throw new IllegalStateException("Embedded Kafka failed to start (log dir " + dir + ", broker port " + port
            + ", controller port " + controllerPort + ")", e);
      }
      EmbeddedKafka kafka = new EmbeddedKafka(server, dir, port);
      try {
        kafka.awaitReady(startNanos + READY_TIMEOUT.toNanos());
      } catch (RuntimeException e) {
        kafka.close();
        throw e;
      }
      LOG.info("Embedded Kafka ready at {} in {} ms ({} log dir {})", kafka.bootstrapServers(),
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos), reused ? "reused" : "new", dir);
      return kafka;
    }
  }

  /** The client bootstrap address, {@code localhost:PORT}. */
  public String bootstrapServers() {
    return "localhost:" + brokerPort;
  }

  /** Stops the broker and waits until it has released its ports and log directory. Idempotent. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      stopQuietly(server);
      LOG.info("Embedded Kafka at {} stopped (log dir {})", bootstrapServers(), logDir);
    }
  }

  /** Formats {@code dir} unless it already is; returns whether it was reused. */
  private static boolean prepareLogDir(Path dir) {
    if (Files.exists(dir.resolve("meta.properties"))) {
      return true;
    }
    try {
      Files.createDirectories(dir);
      new Formatter()
          .setNodeId(NODE_ID)
          .setClusterId(Uuid.randomUuid().toString())
          .setDirectories(List.of(dir.toString()))
          .setMetadataLogDirectory(dir.toString())
          .setControllerListenerName(CONTROLLER_LISTENER)
          .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
          .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
          .run();
      return false;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create Kafka log dir " + dir, e);
    } catch (Exception e) {
      throw new IllegalStateException("Cannot format Kafka log dir " + dir, e);
    }
  }

  private static Properties brokerProps(Path dir, int port, int controllerPort, Map<String, String> overrides) {
    Properties p = new Properties();
    p.put("process.roles", "broker,controller");
    p.put("node.id", String.valueOf(NODE_ID));
    p.put("controller.quorum.voters", NODE_ID + "@localhost:" + controllerPort);
    p.put("listeners", "PLAINTEXT://localhost:" + port + "," + CONTROLLER_LISTENER + "://localhost:" + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://localhost:" + port);
    p.put("controller.listener.names", CONTROLLER_LISTENER);
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
    p.put("log.dirs", dir.toString());
    p.put("metadata.log.dir", dir.toString());

    // One node: every internal topic must fit on it.
    p.put("offsets.topic.replication.factor", "1");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    p.put("default.replication.factor", "1");
    p.put("min.insync.replicas", "1");

    // Laptop-sized: few internal partitions start fast, small buffers and thread pools keep the heap low.
    p.put("offsets.topic.num.partitions", "4");
    p.put("transaction.state.log.num.partitions", "4");
    p.put("share.coordinator.state.topic.num.partitions", "4");
    p.put("log.cleaner.dedupe.buffer.size", "4194304"); // default is a 128 MB heap buffer
    p.put("log.segment.bytes", String.valueOf(64 * 1024 * 1024));
    p.put("num.network.threads", "2");
    p.put("num.io.threads", "4");
    p.put("background.threads", "4");

    // Topics are created explicitly (KafkaTopics), and consumers join a group without the 3 s rebalance delay.
    p.put("num.partitions", "1");
    p.put("auto.create.topics.enable", "false");
    p.put("group.initial.rebalance.delay.ms", "0");
    // Fail instead of hanging forever if the node cannot come up (e.g. a broken log dir).
    p.put("server.max.startup.time.ms", String.valueOf(READY_TIMEOUT.toMillis()));

    p.putAll(overrides);
    return p;
  }

  /** Blocks until the broker answers a describeCluster listing itself, or the deadline passes. */
  private void awaitReady(long deadlineNanos) {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    props.put(AdminClientConfig.CLIENT_ID_CONFIG, "embedded-kafka-readiness");
    Throwable last = null;
    try (Admin admin = Admin.create(props)) {
      long remainingMs;
      while ((remainingMs = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime())) > 0) {
        // The admin client retries connections with its own backoff until timeoutMs, so this blocks, not spins.
        DescribeClusterResult cluster =
            admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) Math.min(remainingMs, Integer.MAX_VALUE)));
        try {
          if (cluster.nodes().get(remainingMs, TimeUnit.MILLISECONDS).stream().map(Node::id)
              .anyMatch(id -> id == NODE_ID)) {
            return;
          }
        } catch (ExecutionException e) {
          last = e.getCause();
        } catch (TimeoutException e) {
          last = e;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("Interrupted while waiting for embedded Kafka at " + bootstrapServers(), e);
        }
      }
    }
    throw new IllegalStateException("Embedded Kafka at " + bootstrapServers() + " did not answer within "
        + READY_TIMEOUT.toSeconds() + " s (log dir " + logDir + ")", last);
  }

  private static void stopQuietly(KafkaRaftServer server) {
    try {
      server.shutdown();
      server.awaitShutdown();
    } catch (RuntimeException e) {
      LOG.warn("Error while stopping embedded Kafka", e);
    }
  }

  private static boolean isBindFailure(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof BindException
          || (t.getMessage() != null && t.getMessage().contains("failed to bind"))) {
        return true;
      }
    }
    return false;
  }

  private static boolean isFree(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      // As for Kafka's acceptor (a ServerSocketChannel, SO_REUSEADDR on by default on Unix): connections of a
      // previous run lingering in TIME_WAIT must not count as "in use".
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** A currently free localhost port, different from {@code avoid}. */
  private static int freePort(int... avoid) {
    for (int i = 0; i < 10; i++) {
      try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        int port = socket.getLocalPort();
        if (avoid.length == 0 || avoid[0] != port) {
          return port;
        }
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot find a free port", e);
      }
    }
    throw new IllegalStateException("Cannot find a free port");
  }
}
