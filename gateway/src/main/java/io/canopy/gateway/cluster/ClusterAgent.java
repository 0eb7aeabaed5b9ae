package io.canopy.gateway.cluster;

import io.canopy.core.log.ChangeRecord;
import io.canopy.gateway.GatewayCluster;
import io.canopy.presence.ClusterState;
import io.canopy.presence.OnDisconnectStore;
import io.canopy.presence.OrphanQueue;
import io.canopy.presence.QueuedWrite;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One gateway's agent in the cluster state, on one daemon thread:
 * <ul>
 *   <li><b>Lease.</b> Taken when started (before the gateway accepts connections), renewed every
 *       {@code renewEvery}, given up on a clean {@link #close}, left to expire on a crash.</li>
 *   <li><b>Reaper.</b> Every {@code reapEvery} it lists the dead gateways (registered, no lease), forgets their
 *       presence, and claims their onDisconnect queues; the claim is atomic across the cluster, so exactly one
 *       gateway gets each queue, and that one produces its writes to the write log once, in order per
 *       connection, as the caller recorded with them. A gateway never reaps itself.</li>
 *   <li><b>Fence.</b> If a renewal finds the gateway fenced (its lease had lapsed, e.g. a long pause, and a
 *       survivor claimed its queues), the {@link #onFenced} listeners run (the endpoints close every realtime
 *       connection; their queues already ran elsewhere, and the SDKs queue their writes again when they
 *       reconnect), then the gateway rejoins.</li>
 *   <li><b>Presence.</b> Open and close of connections are reported per namespace; the cluster-wide counts are
 *       refreshed with the reaper for {@code /.metrics.json}.</li>
 * </ul>
 *
 * <p>Exactly once: see {@link OnDisconnectStore}. A gateway's own queues leave the store by {@code drain} (clean
 * close) or by one survivor's claim, never both. The claimant produces each claimed write once and does not
 * retry: if it dies between its claim and the produce the writes are lost (at most once). Retrying or re-claiming
 * would make them at least once, and a late duplicate of an onDisconnect write is not harmless (it would mark a
 * user offline who has since come back, or apply an increment twice).
 */
public final class ClusterAgent implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterAgent.class);
  private static final Duration START_TIMEOUT = Duration.ofSeconds(10);
  private static final long CLOSE_WAIT_MS = 5_000;

  /** Where claimed writes go: the gateway's write log. */
  @FunctionalInterface
  public interface Producer {
    CompletableFuture<ChangeRecord> produce(QueuedWrite write);
  }

  private final String gatewayId;
  private final ClusterState state;
  private final ClusterState.Timing timing;
  private final Producer producer;
  private final ScheduledExecutorService timer;
  private final List<Runnable> fencedListeners = new CopyOnWriteArrayList<>();
  private final Set<CompletableFuture<?>> pending = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean reaping = new AtomicBoolean();
  private final AtomicBoolean renewing = new AtomicBoolean();
  private final AtomicBoolean stopped = new AtomicBoolean();
  private volatile boolean halted;
  private volatile long lastRenewedNanos;
  private volatile Map<String, Long> clusterConnections = Map.of();
  private final LongAdder reapedGateways = new LongAdder();
  private final LongAdder reapedWrites = new LongAdder();
  private final LongAdder fencedTimes = new LongAdder();
  private final LongAdder stateFailures = new LongAdder();

  private ClusterAgent(GatewayCluster cluster, Producer producer) {
    this.gatewayId = cluster.gatewayId();
    this.state = cluster.state();
    this.timing = cluster.timing();
    this.producer = producer;
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "canopy-cluster-agent");
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Takes the gateway's lease (blocking, 10 s at most) and starts renewing and reaping.
   *
   * @throws IllegalStateException if the cluster state does not answer or the gateway id is fenced
   */
  public static ClusterAgent start(GatewayCluster cluster, Producer producer) {
    ClusterAgent agent = new ClusterAgent(cluster, producer);
    try {
      Boolean renewed = agent.state.liveness().renew(agent.gatewayId, agent.timing.leaseTtl())
          .get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      if (!renewed) {
        throw new IllegalStateException("gateway: the id " + agent.gatewayId + " is fenced in the cluster state");
      }
    } catch (Exception e) {
      agent.timer.shutdownNow();
      if (e instanceof IllegalStateException ise) {
        throw ise;
      }
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new IllegalStateException("gateway: cannot take a lease in the cluster state (" + cluster.state()
          .describe() + "): " + rootMessage(e), e);
    }
    agent.lastRenewedNanos = System.nanoTime();
    long renew = agent.timing.renewEvery().toMillis();
    long reap = agent.timing.reapEvery().toMillis();
    agent.timer.scheduleWithFixedDelay(agent::renew, renew, renew, TimeUnit.MILLISECONDS);
    agent.timer.scheduleWithFixedDelay(agent::reap, 0, reap, TimeUnit.MILLISECONDS);
    LOG.info("Gateway {} holds a {} ms lease in the cluster state ({})", agent.gatewayId,
        agent.timing.leaseTtl().toMillis(), agent.state.describe());
    return agent;
  }

  public String gatewayId() {
    return gatewayId;
  }

  public OnDisconnectStore onDisconnect() {
    return state.onDisconnect();
  }

  /** True once {@link #halt} ran: connections that end now must leave their queues for a survivor. */
  public boolean halted() {
    return halted;
  }

  /** Runs {@code task} on the agent's thread every {@code every} until closed (e.g. the cluster rate budget). */
  public void every(Duration every, Runnable task) {
    long ms = Math.max(1, every.toMillis());
    timer.scheduleWithFixedDelay(() -> {
      try {
        task.run();
      } catch (RuntimeException e) {
        LOG.warn("A periodic cluster task failed", e);
      }
    }, ms, ms, TimeUnit.MILLISECONDS);
  }

  /** Called when the gateway was fenced, before it rejoins: close every realtime connection. */
  public void onFenced(Runnable listener) {
    fencedListeners.add(listener);
  }

  /** A realtime connection of {@code namespace} opened here. */
  public void connectionOpened(String namespace) {
    watch(state.presence().opened(gatewayId, namespace), "count a connection");
  }

  /** A realtime connection of {@code namespace} ended here. */
  public void connectionClosed(String namespace) {
    watch(state.presence().closed(gatewayId, namespace), "count a closed connection");
  }

  /** Work a clean close waits for (5 s at most) before the lease is given up, e.g. producing a drained queue. */
  public <T> CompletableFuture<T> track(CompletableFuture<T> work) {
    pending.add(work);
    work.whenComplete((v, e) -> pending.remove(work));
    return work;
  }

  private void watch(CompletableFuture<?> f, String what) {
    f.whenComplete((v, e) -> {
      if (e != null) {
        stateFailures.increment();
        LOG.debug("Cannot {} in the cluster state: {}", what, rootMessage(e));
      }
    });
  }

  private void renew() {
    if (stopped.get() || !renewing.compareAndSet(false, true)) {
      return;
    }
    state.liveness().renew(gatewayId, timing.leaseTtl()).whenComplete((renewed, error) -> {
      try {
        if (error != null) {
          stateFailures.increment();
          long silentMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastRenewedNanos);
          LOG.warn("Gateway {} cannot renew its lease ({} ms since the last renewal, the lease lasts {} ms): {}",
              gatewayId, silentMs, timing.leaseTtl().toMillis(), rootMessage(error));
        } else if (renewed) {
          lastRenewedNanos = System.nanoTime();
        } else if (!stopped.get()) {
          fenced();
        }
      } finally {
        renewing.set(false);
      }
    });
  }

  /** Our lease lapsed and a survivor claimed our queues: drop every connection, then rejoin. */
  private void fenced() {
    fencedTimes.increment();
    LOG.error("Gateway {} lost its lease and another gateway ran its connections' onDisconnect writes: closing"
        + " every realtime connection (the clients reconnect), then rejoining", gatewayId);
    for (Runnable listener : fencedListeners) {
      try {
        listener.run();
      } catch (RuntimeException e) {
        LOG.warn("Closing connections after a fence failed", e);
      }
    }
    try {
      if (state.liveness().rejoin(gatewayId, timing.leaseTtl()).get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        lastRenewedNanos = System.nanoTime();
      }
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      LOG.warn("Gateway {} cannot rejoin the cluster state yet: {}", gatewayId, rootMessage(e));
    }
  }

  private void reap() {
    if (stopped.get() || !reaping.compareAndSet(false, true)) {
      return;
    }
    state.liveness().deadGateways()
        .thenCompose(dead -> {
          CompletableFuture<Void> all = CompletableFuture.completedFuture(null);
          for (String gw : dead) {
            if (!gw.equals(gatewayId)) {
              all = all.thenCompose(v -> reap(gw));
            }
          }
          return all;
        })
        .thenCompose(v -> state.presence().connections())
        .whenComplete((counts, error) -> {
          reaping.set(false);
          if (error != null) {
            stateFailures.increment();
            LOG.debug("Reaping dead gateways failed: {}", rootMessage(error));
          } else {
            clusterConnections = counts;
          }
        });
  }

  private CompletableFuture<Void> reap(String deadGateway) {
    return state.presence().forget(deadGateway)
        .thenCompose(v -> state.onDisconnect().claimOrphans(deadGateway, gatewayId))
        .thenAccept(queues -> {
          if (queues.isEmpty()) {
            LOG.debug("Gateway {} forgot dead gateway {} (nothing queued, or claimed elsewhere)", gatewayId,
                deadGateway);
            return;
          }
          reapedGateways.increment();
          int writes = 0;
          for (OrphanQueue queue : queues) {
            for (QueuedWrite write : queue.writes()) {
              produce(queue, write);
              writes++;
            }
          }
          reapedWrites.add(writes);
          LOG.info("Gateway {} claimed {} onDisconnect write(s) of {} connection(s) of dead gateway {} and produced"
              + " them", gatewayId, writes, queues.size(), deadGateway);
        });
  }

  private void produce(OrphanQueue queue, QueuedWrite write) {
    try {
      producer.produce(write).whenComplete((change, error) -> {
        if (error != null) {
          LOG.warn("onDisconnect write at {} of connection {} (dead gateway {}) failed: {}", write.op().path(),
              queue.connection().connectionId(), queue.connection().gatewayId(), rootMessage(error));
        } else if (!change.accepted()) {
          LOG.debug("onDisconnect write at {} of connection {} rejected: {}", write.op().path(),
              queue.connection().connectionId(), change.error());
        }
      });
    } catch (RuntimeException e) {
      LOG.warn("onDisconnect write at {} could not be produced", write.op().path(), e);
    }
  }

  /** Counters and the cluster-wide connection counts, for {@code /.metrics.json}. */
  public Map<String, Object> stats() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("gatewayId", gatewayId);
    m.put("state", state.describe());
    m.put("leaseAgeMs", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastRenewedNanos));
    m.put("reapedGateways", reapedGateways.sum());
    m.put("reapedWrites", reapedWrites.sum());
    m.put("fenced", fencedTimes.sum());
    m.put("stateFailures", stateFailures.sum());
    m.put("connections", clusterConnections);
    return m;
  }

  /**
   * A crash, for failure tests: stops renewing and reaping at once without giving the lease up, and from now on
   * connections that end leave their onDisconnect queues in the cluster state, for a survivor to reap once the
   * lease expires.
   */
  public void halt() {
    halted = true;
    stopped.set(true);
    timer.shutdownNow();
  }

  /**
   * A clean stop, after the gateway's connections closed: waits (5 s at most) for their queues to be drained and
   * produced, stops renewing and reaping, and gives the lease up, so anything left is reaped at once. Idempotent.
   */
  @Override
  public void close() {
    if (!stopped.compareAndSet(false, true)) {
      return;
    }
    try {
      CompletableFuture.allOf(pending.toArray(new CompletableFuture<?>[0]))
          .get(CLOSE_WAIT_MS, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      LOG.warn("{} onDisconnect queue(s) were not produced before the gateway stopped: the next gateway to reap"
          + " runs what is left", pending.size());
    }
    timer.shutdownNow();
    try {
      state.liveness().release(gatewayId).get(2, TimeUnit.SECONDS);
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      LOG.warn("Gateway {} could not give its lease up (it expires in {} ms): {}", gatewayId,
          timing.leaseTtl().toMillis(), rootMessage(e));
    }
  }

  static String rootMessage(Throwable e) {
    Throwable t = e;
    while ((t instanceof CompletionException || t.getCause() != null) && t.getCause() != null
        && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }
}
