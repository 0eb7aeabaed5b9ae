package io.canopy.server;

import io.canopy.gateway.health.ReadinessCheck;
import io.canopy.presence.ClusterState;
import io.canopy.processor.Processor;
import io.canopy.store.TreeStore;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/**
 * Readiness of one process: Kafka answers a cluster description, the store answers a checkpoint read, Redis (when
 * the cluster state lives there) answers a ping, and (where it runs) the processor has not crashed. Each probe is bounded; the verdict is cached for a second so that
 * load-balancer probes cost nothing.
 */
final class ClusterReadiness implements ReadinessCheck, AutoCloseable {
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);
  private static final long CACHE_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final Admin admin;
  private final TreeStore store;
  private final Processor processor;
  private final ClusterState cluster;
  private final ExecutorService probes = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "canopy-readiness");
    t.setDaemon(true);
    return t;
  });
  /** The last verdict and when it was taken; null before the first probe. */
  private Map<String, String> last;
  private long lastAt;

  /** @param processor null when this process runs no processor */
  ClusterReadiness(String bootstrapServers, TreeStore store, Processor processor) {
    this(bootstrapServers, store, processor, null);
  }

  /**
   * @param processor null when this process runs no processor
   * @param cluster the gateway's cluster state, probed when it is shared (Redis); null when there is none
   */
  ClusterReadiness(String bootstrapServers, TreeStore store, Processor processor, ClusterState cluster) {
    this.cluster = cluster;
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) PROBE_TIMEOUT.toMillis());
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) PROBE_TIMEOUT.toMillis());
    this.admin = Admin.create(props);
    this.store = store;
    this.processor = processor;
  }

  @Override
  public synchronized Map<String, String> problems() {
    long now = System.nanoTime();
    if (last != null && now - lastAt < CACHE_NANOS) {
      return last;
    }
    Map<String, String> problems = new LinkedHashMap<>();
    try {
      admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) PROBE_TIMEOUT.toMillis())).nodes()
          .get(PROBE_TIMEOUT.toMillis() + 500, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      problems.put("kafka", "unreachable: " + rootMessage(e));
    }
    Future<?> read = probes.submit(() -> store.checkpoint(0));
    try {
      read.get(PROBE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      read.cancel(true);
      problems.put("store", "unreachable: " + rootMessage(e));
    }
    if (cluster != null && cluster.shared()) {
      try {
        cluster.ping().get(PROBE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        if (e instanceof InterruptedException) {
          Thread.currentThread().interrupt();
        }
        problems.put("redis", "unreachable: " + rootMessage(e));
      }
    }
    if (processor != null && processor.crashed()) {
      problems.put("processor", "stopped after a failure (see the log)");
    }
    last = Map.copyOf(problems);
    lastAt = System.nanoTime();
    return last;
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }

  @Override
  public void close() {
    probes.shutdownNow();
    admin.close(Duration.ofSeconds(2));
  }
}
