package io.canopy.server;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import io.canopy.gateway.GatewayCluster;
import io.canopy.gateway.GatewayServer;
import io.canopy.presence.ClusterState;
import io.canopy.presence.redis.RedisClusterState;
import io.canopy.processor.Processor;
import io.canopy.processor.ProcessorStats;
import io.canopy.pusher.Pusher;
import io.canopy.server.embedded.EmbeddedKafka;
import io.canopy.server.embedded.KafkaTopics;
import io.canopy.store.TreeStore;
import io.canopy.store.mongo.MongoTreeStore;
import io.canopy.store.rocksdb.RocksDbTreeStore;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Canopy process, wired from a {@link ServerConfig}. Starts in dependency order: Kafka (embedded unless
 * external) and its topics, the store (RocksDB unless MongoDB), the processor, then the pusher and the gateway.
 * Stops in the reverse order, so the gateway stops taking writes before the processor flushes its last batch and
 * the store and Kafka close last.
 */
public final class CanopyServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CanopyServer.class);
  /** Above the largest REST body (256 MiB) plus envelope, and the processor's 300 MiB change records. */
  private static final int MAX_RECORD_BYTES = 300 * 1024 * 1024;
  /**
   * Record sizes for large REST writes, and a short broker session: after a crash the restarted broker can only
   * register once the controller has expired its previous incarnation's session (9 s by default, which made a
   * restart after kill -9 take 17 s instead of 7 s). Broker and controller share this JVM, so a missed heartbeat
   * means a stall of the whole process anyway.
   */
  private static final Map<String, String> EMBEDDED_KAFKA_SETTINGS = Map.of(
      "message.max.bytes", String.valueOf(MAX_RECORD_BYTES),
      "replica.fetch.max.bytes", String.valueOf(MAX_RECORD_BYTES),
      "socket.request.max.bytes", String.valueOf(MAX_RECORD_BYTES + 1024 * 1024),
      // a log segment must hold the largest record batch (the embedded broker's default is 64 MiB)
      "log.segment.bytes", String.valueOf(MAX_RECORD_BYTES + 20 * 1024 * 1024),
      "broker.session.timeout.ms", "3000",
      "broker.heartbeat.interval.ms", "500");

  private final ServerConfig config;
  private final String bootstrapServers;
  private final GatewayServer gateway;
  private final Deque<Component> components;
  private final AtomicBoolean closing = new AtomicBoolean();
  private final CountDownLatch closed = new CountDownLatch(1);

  /** Something started, closed by name in reverse order of starting. */
  private record Component(String name, AutoCloseable resource) {}

  private CanopyServer(ServerConfig config, String bootstrapServers, GatewayServer gateway,
      Deque<Component> components) {
    this.config = config;
    this.bootstrapServers = bootstrapServers;
    this.gateway = gateway;
    this.components = components;
  }

  /**
   * Starts every component of the configured role and returns once clients can be served.
   *
   * @throws RuntimeException if a component fails to start; whatever had started is stopped again
   */
  public static CanopyServer start(ServerConfig config) {
    long startNanos = System.nanoTime();
    Deque<Component> started = new ArrayDeque<>();
    try {
      String bootstrap;
      String kafkaDescription;
      if (config.embeddedKafka()) {
        EmbeddedKafka kafka = EmbeddedKafka.start(config.kafkaDir(), 0, EMBEDDED_KAFKA_SETTINGS);
        started.push(new Component("embedded Kafka", kafka));
        bootstrap = kafka.bootstrapServers();
        kafkaDescription = "embedded at " + bootstrap;
      } else {
        bootstrap = config.kafka();
        kafkaDescription = bootstrap;
      }
      KafkaTopics.ensureTopics(bootstrap, config.partitions(), ServerConfig.WRITES_TOPIC, ServerConfig.CHANGES_TOPIC);

      TreeStore store = openStore(config, started);
      Processor processor = null;
      if (config.role().runsProcessor()) {
        processor = Processor.start(config.processorConfig(bootstrap), store);
        started.push(new Component("processor", processor));
      }
      ClusterState clusterState = null;
      if (config.role().runsGateway()) {
        clusterState = config.redis() == null ? ClusterState.inMemory() : RedisClusterState.connect(config.redis());
        started.push(new Component("cluster state", clusterState));
      }
      ClusterReadiness readiness = new ClusterReadiness(bootstrap, store, processor, clusterState);
      started.push(new Component("readiness probe", readiness));
      Processor statsSource = processor;
      Supplier<Map<String, Object>> processorStats =
          () -> statsSource == null ? Map.of() : Map.of("processor", processorStats(statsSource.stats()));
      if (!config.role().runsGateway()) {
        // A processor-only process still answers orchestrators and Prometheus on --port.
        ProcessorEndpoints endpoints = ProcessorEndpoints.start(config.host(), config.port(), processorStats,
            readiness);
        started.push(new Component("processor endpoints", endpoints));
      }
      GatewayServer gateway = null;
      if (config.role().runsGateway()) {
        String gatewayId = "gw-" + UUID.randomUUID().toString().substring(0, 8);
        Pusher pusher = Pusher.start(config.pusherConfig(bootstrap, gatewayId), store);
        started.push(new Component("pusher", pusher));
        gateway = GatewayServer.start(config.gatewayConfig(bootstrap), pusher, processorStats, readiness,
            new GatewayCluster(gatewayId, clusterState, config.clusterTiming()));
        started.push(new Component("gateway", gateway));
      }
      CanopyServer server = new CanopyServer(config, bootstrap, gateway, started);
      LOG.info("{} in {} ms", server.readyLine(kafkaDescription),
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
      return server;
    } catch (RuntimeException | Error e) {
      closeAll(started);
      throw e;
    }
  }

  private static TreeStore openStore(ServerConfig config, Deque<Component> started) {
    if (config.mongo() == null) {
      TreeStore store = RocksDbTreeStore.open(config.storeDir());
      started.push(new Component("RocksDB store", store));
      return store;
    }
    MongoClient client = MongoClients.create(config.mongo());
    started.push(new Component("MongoDB client", client));
    TreeStore store = new MongoTreeStore(client);
    started.push(new Component("MongoDB store", store));
    return store;
  }

  private String readyLine(String kafkaDescription) {
    String store = config.mongo() == null
        ? "RocksDB at " + config.storeDir().toAbsolutePath().normalize()
        : "MongoDB at " + redactCredentials(config.mongo());
    String data = config.embeddedKafka() || config.mongo() == null
        ? "data in " + config.dataDir().toAbsolutePath().normalize() + ", "
        : "";
    String cluster = config.redis() == null || !config.role().runsGateway()
        ? ""
        : ", cluster state " + RedisClusterState.redact(config.redis());
    String details = "(" + data + "kafka " + kafkaDescription + ", store " + store + cluster + ")";
    return switch (config.role()) {
      case ALL -> "Canopy is ready at " + url() + " " + details;
      case GATEWAY -> "Canopy gateway is ready at " + url() + " " + details;
      case PROCESSOR -> "Canopy processor is ready " + details;
    };
  }

  /** The gateway's base URL, e.g. {@code http://localhost:9000}; null for the processor role. */
  public String url() {
    if (gateway == null) {
      return null;
    }
    String host = config.host();
    boolean wildcard = host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]");
    String shown = wildcard ? "localhost" : host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    return "http://" + shown + ":" + gateway.port();
  }

  /** The gateway's bound port; -1 for the processor role. */
  public int port() {
    return gateway == null ? -1 : gateway.port();
  }

  /** The Kafka this server uses (the embedded broker's address when embedded). */
  public String bootstrapServers() {
    return bootstrapServers;
  }

  public ServerConfig config() {
    return config;
  }

  /** Blocks until {@link #close} has finished. */
  public void awaitClosed() throws InterruptedException {
    closed.await();
  }

  /** Stops everything in reverse start order. Idempotent; later callers wait for the first to finish. */
  @Override
  public void close() {
    if (!closing.compareAndSet(false, true)) {
      try {
        closed.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return;
    }
    long start = System.nanoTime();
    LOG.info("Canopy is stopping");
    closeAll(components);
    LOG.info("Canopy stopped in {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    closed.countDown();
  }

  /**
   * A gateway crash, for failure tests: the gateway halts ({@link GatewayServer#halt}: its lease is left to expire
   * and its connections' on-disconnect queues stay in the cluster state for a survivor), then everything else
   * stops as usual.
   */
  void crashForTest() {
    if (gateway != null) {
      gateway.halt();
    }
    close();
  }

  private static void closeAll(Deque<Component> started) {
    while (!started.isEmpty()) {
      Component c = started.pop();
      try {
        c.resource().close();
      } catch (Exception | Error e) {
        LOG.warn("Stopping the {} failed", c.name(), e);
      }
    }
  }

  private static Map<String, Object> processorStats(ProcessorStats s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("writes", s.writes());
    m.put("rejected", s.rejected());
    m.put("flushes", s.flushes());
    m.put("storeWrites", s.storeWrites());
    m.put("writesPerFlush", s.writesPerFlush());
    m.put("flushMs", s.flushNanos() / 1e6);
    m.put("fencedFlushes", s.fencedFlushes());
    m.put("intakeLagMs", s.intakeLag());
    m.put("batchWrites", s.batchWrites());
    m.put("flushTimeMs", s.flushTime());
    return m;
  }

  /** {@code mongodb://user:secret@host} → {@code mongodb://***@host}: connection strings go to logs. */
  static String redactCredentials(String uri) {
    return uri.replaceFirst("^(mongodb(\\+srv)?://)[^@/]*@", "$1***@");
  }
}
