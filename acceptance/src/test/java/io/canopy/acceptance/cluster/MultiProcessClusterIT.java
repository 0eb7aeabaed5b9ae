package io.canopy.acceptance.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.canopy.acceptance.testing.Json;
import io.canopy.acceptance.testing.Namespaces;
import io.canopy.acceptance.testing.OrderCheck;
import io.canopy.acceptance.testing.RawClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * The split-role cluster as separate processes on one machine (see {@link ClusterHarness}): a Kafka broker, the
 * MongoDB stand-in, Redis (when the server supports {@code --redis}), 2 processors and 2 gateways on 4 partitions,
 * driven by raw v5 clients and REST on both gateways. In order, each scenario leaving every node running again:
 *
 * <ol>
 *   <li>clients on both gateways write concurrently to shared paths of several namespaces: every client (writers
 *       included) saw the states of each path in one order, and all converge on the REST value;
 *   <li>under continuous load, {@code kill -9} the processor that decided the most writes: every writer keeps
 *       getting acknowledgements once the group moved its partitions, no write fails, every acknowledged write is
 *       readable with its last acknowledged value, and listeners on both gateways converge on the REST state;
 *   <li>the killed processor restarts (health 200); then {@code kill -9} the other one: writes in fresh namespaces
 *       are still acknowledged, decided by the restarted processor, and the writes acknowledged in (2) survived
 *       both failovers;
 *   <li>{@code kill -9} a gateway: its client's onDisconnect writes run exactly once on the survivor (only when the
 *       server jar lists {@code --redis}; skipped otherwise);
 *   <li>a gateway killed with {@code kill -9} restarts on its port and serves again: realtime both ways with the
 *       other gateway, and REST reads of earlier data;
 *   <li>fencing: under load, {@code kill -STOP} the busiest processor past its consumer session timeout, so that the
 *       other one takes its partitions over, then {@code kill -CONT} it: the woken processor still holds decided
 *       writes, but nothing it flushes or emits counts. No write fails, every acknowledged write keeps its last
 *       acknowledged value, concurrent increments from both gateways add up exactly, listeners converge, and the
 *       paused processor rejoins healthy.
 * </ol>
 *
 * Logs: {@code target/cluster/<node>.log}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MultiProcessClusterIT {
  /** Processors leave the group after their consumer session timeout (10 s), then a rebalance and roll-forward. */
  private static final Duration FAILOVER = Duration.ofSeconds(90);
  private static final Duration CONVERGE = Duration.ofSeconds(60);
  private static final int ORDER_WRITES_PER_WRITER = 60;
  private static final int ORDER_WRITES_IN_FLIGHT = 4;

  private ClusterHarness cluster;
  private final List<AutoCloseable> perTest = new ArrayList<>();
  /** Scenario 2's acknowledged writes, checked again after later failovers and restarts. */
  private Map<LoadWriters.Key, Long> acknowledgedInFailover = Map.of();
  private ClusterNode killedProcessor;

  @BeforeAll
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void startCluster() {
    long start = System.nanoTime();
    cluster = ClusterHarness.start(2, 2);
    report("cluster started in " + since(start) + (cluster.redisSupported() ? " (with Redis " + cluster.redisUri()
        + ")" : " (without Redis)") + ": " + cluster.processors() + " " + cluster.gateways());
  }

  @AfterAll
  void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @AfterEach
  void closeClients() {
    for (int i = perTest.size() - 1; i >= 0; i--) {
      try {
        AutoCloseable c = perTest.get(i);
        if (c instanceof RawClient raw) {
          raw.abort();
        } else {
          c.close();
        }
      } catch (Exception e) {
        // keep closing
      }
    }
    perTest.clear();
  }

  // ---- 1. one order ------------------------------------------------------------------------------------------

  @Test
  @Order(1)
  void clientsOnBothGatewaysSeeConcurrentWritesInOneOrderAndConverge(TestInfo test) throws Exception {
    ensureRunningExcept(Set.of());
    long start = System.nanoTime();
    List<String> namespaces = namespaces("order", test, 4);
    List<String> paths = List.of("/shared/x", "/shared/y");
    Map<String, List<RawClient>> observers = new LinkedHashMap<>();
    // (namespace, path) -> observer -> the values it saw there, in order
    Map<String, Map<String, List<String>>> seen = new ConcurrentHashMap<>();
    List<RawClient> writers = new ArrayList<>();
    for (String ns : namespaces) {
      for (ClusterNode gateway : cluster.gateways()) {
        for (String role : List.of("writer", "watcher")) {
          RawClient client = connect(gateway, ns, role + "-" + gateway.name());
          client.onPush(push -> paths.forEach(path -> {
            JsonNode value = Json.at(client.tree(), path);
            if (value.isTextual()) {
              seen.computeIfAbsent(ns + path, k -> new ConcurrentHashMap<>())
                  .computeIfAbsent(client.name(), k -> Collections.synchronizedList(new ArrayList<>()))
                  .add(value.asText());
            }
          }));
          ok(client, client.await(client.listen("/shared"), "listen /shared"), "listen /shared");
          observers.computeIfAbsent(ns, k -> new ArrayList<>()).add(client);
          if (role.equals("writer")) {
            writers.add(client);
          }
        }
      }
    }

    ExecutorService pool = Executors.newFixedThreadPool(writers.size());
    try {
      List<CompletableFuture<Void>> runs = new ArrayList<>();
      for (RawClient writer : writers) {
        runs.add(CompletableFuture.runAsync(() -> {
          // A few writes in flight per writer: more interleaving between gateways, less waiting on round trips.
          for (int i = 0; i < ORDER_WRITES_PER_WRITER; i += ORDER_WRITES_IN_FLIGHT) {
            List<CompletableFuture<JsonNode>> replies = new ArrayList<>();
            for (int j = i; j < Math.min(i + ORDER_WRITES_IN_FLIGHT, ORDER_WRITES_PER_WRITER); j++) {
              String value = writer.name().replace("writer-gateway-", "") + j;
              replies.add(writer.put(paths.get(j % paths.size()), TextNode.valueOf(value), null));
            }
            replies.forEach(reply -> ok(writer, writer.await(reply, "put"), "put"));
          }
        }, pool));
      }
      CompletableFuture.allOf(runs.toArray(CompletableFuture[]::new)).get(90, TimeUnit.SECONDS);
    } finally {
      pool.shutdownNow();
    }

    awaitConverged(observers, "/shared");
    int[] minStates = {Integer.MAX_VALUE};
    for (String ns : namespaces) {
      for (String path : paths) {
        Map<String, List<String>> sequences = new LinkedHashMap<>(seen.getOrDefault(ns + path, Map.of()));
        assertThat(sequences).as("%s%s: every observer saw writes", ns, path).hasSize(observers.get(ns).size());
        sequences.forEach((observer, sequence) -> {
          List<String> states = OrderCheck.distinctRuns(sequence);
          minStates[0] = Math.min(minStates[0], states.size());
          // Not a vacuous check: each observer saw many states, written through both gateways.
          assertThat(states).as("%s%s: states seen by %s", ns, path, observer).hasSizeGreaterThanOrEqualTo(10)
              .anyMatch(v -> v.startsWith("a")).anyMatch(v -> v.startsWith("b"));
        });
        Optional<String> violation = OrderCheck.violation(sequences);
        assertThat(violation).as("%s%s: observers on both gateways disagree on the order", ns, path).isEmpty();
      }
    }
    report("one order: " + writers.size() * ORDER_WRITES_PER_WRITER + " writes from " + writers.size()
        + " writers on 2 gateways in " + namespaces.size() + " namespaces, " + observers.values().stream()
        .mapToInt(List::size).sum() + " observers agreed on the order (each saw at least " + minStates[0]
        + " of a path's " + cluster.gateways().size() * ORDER_WRITES_PER_WRITER / paths.size() + " states), in "
        + since(start));
  }

  // ---- 2. kill -9 a processor under load -----------------------------------------------------------------------

  @Test
  @Order(2)
  @Timeout(value = 4, unit = TimeUnit.MINUTES)
  void killingAProcessorUnderLoadMovesItsPartitionsAndLosesNoAcknowledgedWrite(TestInfo test) {
    ensureRunningExcept(Set.of());
    long start = System.nanoTime();
    List<String> namespaces = namespaces("fail", test, 8);
    Map<String, List<RawClient>> watchers = watch(namespaces, "/load");
    Map<ClusterNode, Long> decidedBefore = decidedWrites();

    LoadWriters load = LoadWriters.start(namespaces, cluster.gateways());
    perTest.add(load);
    load.awaitEveryWriterProgressed(Map.of(), 10, CONVERGE);
    // The processor that decided the most writes so far owns partitions that carry load right now.
    Map<ClusterNode, Long> decided = decidedWrites();
    ClusterNode victim = busiestProcessor(decidedBefore, decided);

    Map<String, Long> atKill = load.acks();
    long killed = System.nanoTime();
    victim.kill();
    killedProcessor = victim;
    load.awaitEveryWriterProgressed(atKill, 20, FAILOVER);
    Duration resumed = since(killed);
    load.stop();
    assertThat(load.failures()).as("failed writes").isEmpty();

    acknowledgedInFailover = load.acknowledged();
    for (ClusterNode gateway : cluster.gateways()) {
      LoadWriters.assertReadable(acknowledgedInFailover, gateway);
    }
    awaitConverged(watchers, "/load");
    report("processor failover: killed " + victim.name() + " (" + decided.get(victim) + " writes decided);"
        + " every writer acknowledged 20 more within " + resumed + "; slowest acknowledgement "
        + load.slowestAck().toMillis() + " ms; " + load.totalAcks() + " acknowledged writes ("
        + acknowledgedInFailover.size() + " paths) all readable, " + watchers.values().stream().mapToInt(List::size)
        .sum() + " listeners converged; scenario " + since(start));
  }

  // ---- 3. a restarted processor rejoins -------------------------------------------------------------------------

  @Test
  @Order(3)
  @Timeout(value = 4, unit = TimeUnit.MINUTES)
  void aRestartedProcessorRejoinsAndTakesOverWhenTheOtherDies(TestInfo test) {
    ClusterNode restarted = killedProcessor != null ? killedProcessor : cluster.processor(0);
    ensureRunningExcept(Set.of(restarted));
    long start = System.nanoTime();
    if (restarted.isAlive()) {
      restarted.kill();
    }
    restarted.restart();
    assertThat(restarted.rest().status("/health")).as("%s /health after restart", restarted).isEqualTo(200);
    Duration restartTook = since(start);

    ClusterNode other = cluster.processors().stream().filter(p -> p != restarted).findFirst().orElseThrow();
    long killed = System.nanoTime();
    other.kill();
    List<String> namespaces = namespaces("rejoin", test, 6);
    Map<String, List<RawClient>> watchers = watch(namespaces, "/load");
    LoadWriters load = LoadWriters.start(namespaces, cluster.gateways());
    perTest.add(load);
    load.awaitEveryWriterProgressed(Map.of(), 10, FAILOVER);
    Duration tookOver = since(killed);
    load.stop();
    assertThat(load.failures()).as("failed writes").isEmpty();
    assertThat(restarted.metrics().at("/processor/writes").asLong())
        .as("writes decided by the restarted %s, now the only processor", restarted).isPositive();
    for (ClusterNode gateway : cluster.gateways()) {
      LoadWriters.assertReadable(load.acknowledged(), gateway);
    }
    awaitConverged(watchers, "/load");
    LoadWriters.assertReadable(acknowledgedInFailover, cluster.gateway(0));

    long restartOther = System.nanoTime();
    other.restart();
    report("processor rejoin: " + restarted.name() + " restarted (healthy in " + restartTook + "); "
        + other.name() + " killed, writes in " + namespaces.size() + " new namespaces acknowledged within "
        + tookOver + " (slowest " + load.slowestAck().toMillis() + " ms); " + other.name() + " back in "
        + since(restartOther) + "; scenario " + since(start));
  }

  // ---- 4. kill -9 a gateway: onDisconnect writes of its clients ------------------------------------------------

  @Test
  @Order(4)
  void killingAGatewayRunsItsClientsOnDisconnectWritesOnASurvivor(TestInfo test) {
    assumeTrue(cluster.redisSupported(), "no Redis in this run (canopy-server.jar --help lists no --redis, or"
        + " -Dcanopy.cluster.redis=false): onDisconnect queues then live in each gateway's memory and die with it"
        + " (docs/DEPLOY.md, Not yet). Runs once the server jar has the Redis-backed cluster state.");
    ensureRunningExcept(Set.of());
    long start = System.nanoTime();
    String ns = Namespaces.unique("ondisc", test);
    ClusterNode survivor = cluster.gateway(0);
    ClusterNode doomed = cluster.gateway(1);
    survivor.rest().put(ns, "/presence/alice", "\"online\"");
    RawClient watcher = connect(survivor, ns, "watcher-" + survivor.name());
    ok(watcher, watcher.await(watcher.listen("/presence"), "listen /presence"), "listen /presence");

    RawClient alice = connect(doomed, ns, "alice-" + doomed.name());
    ok(alice, alice.call("o", Json.parse("{\"p\":\"/presence/alice\",\"d\":\"offline\"}")), "o");
    ok(alice, alice.call("om", Json.parse("{\"p\":\"/counter\",\"d\":{\"runs\":{\".sv\":{\"increment\":1}}}}")),
        "om");

    long killed = System.nanoTime();
    doomed.kill();
    alice.abort();
    await("onDisconnect writes of " + doomed.name() + "'s client").atMost(FAILOVER)
        .pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
          assertThat(survivor.rest().get(ns, "/presence/alice").asText()).isEqualTo("offline");
          assertThat(survivor.rest().get(ns, "/counter/runs").asLong()).isEqualTo(1);
          assertThat(Json.at(watcher.tree(), "/presence/alice").asText()).as("watcher on the survivor")
              .isEqualTo("offline");
        });
    Duration ran = since(killed);
    // Exactly once: nobody runs the queue again over the next lease periods.
    await("the increment stays at 1").during(Duration.ofMillis(2 * ClusterHarness.LEASE_TTL_MS))
        .atMost(Duration.ofMillis(2 * ClusterHarness.LEASE_TTL_MS + 10_000))
        .until(() -> survivor.rest().get(ns, "/counter/runs").asLong() == 1);
    report("gateway crash: " + doomed.name() + "'s onDisconnect writes ran on the survivor " + ran
        + " after kill -9 (lease " + ClusterHarness.LEASE_TTL_MS + " ms), once; scenario " + since(start));
  }

  // ---- 5. a restarted gateway serves again ------------------------------------------------------------------

  @Test
  @Order(5)
  void aGatewayKilledAndRestartedServesAgain(TestInfo test) {
    ClusterNode gateway = cluster.gateway(1);
    ClusterNode other = cluster.gateway(0);
    ensureRunningExcept(Set.of(gateway));
    long start = System.nanoTime();
    if (gateway.isAlive()) {
      gateway.kill();
    }
    gateway.restart();
    Duration restartTook = since(start);

    String ns = Namespaces.unique("regw", test);
    RawClient onRestarted = connect(gateway, ns, "client-" + gateway.name());
    RawClient onOther = connect(other, ns, "client-" + other.name());
    for (RawClient c : List.of(onRestarted, onOther)) {
      ok(c, c.await(c.listen("/check"), "listen /check"), "listen /check");
    }
    ok(onRestarted, onRestarted.await(onRestarted.put("/check/a", TextNode.valueOf("from " + gateway.name()), null),
        "put"), "put");
    ok(onOther, onOther.await(onOther.put("/check/b", TextNode.valueOf("from " + other.name()), null), "put"), "put");
    awaitConverged(Map.of(ns, List.of(onRestarted, onOther)), "/check");
    assertThat(gateway.rest().get(ns, "/check")).isEqualTo(Json.parse(
        "{\"a\":\"from " + gateway.name() + "\",\"b\":\"from " + other.name() + "\"}"));
    LoadWriters.assertReadable(acknowledgedInFailover, gateway);
    report("gateway restart: " + gateway.name() + " healthy again in " + restartTook + " and serving; scenario "
        + since(start));
  }

  // ---- 6. a paused processor is fenced ----------------------------------------------------------------------

  @Test
  @Order(6)
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void aProcessorPausedPastItsSessionIsFencedWhenItWakesUp(TestInfo test) throws Exception {
    ensureRunningExcept(Set.of());
    long start = System.nanoTime();
    List<String> namespaces = namespaces("fence", test, 8);
    Map<String, List<RawClient>> watchers = watch(namespaces, "/load");
    Map<ClusterNode, Long> decidedBefore = decidedWrites();
    LoadWriters load = LoadWriters.start(namespaces, cluster.gateways());
    perTest.add(load);
    // Increments from both gateways: a write decided twice, or a zombie's stale flush, breaks the sum.
    String counterNs = namespaces.get(0);
    List<Incrementer> incrementers = new ArrayList<>();
    for (ClusterNode gateway : cluster.gateways()) {
      incrementers.add(new Incrementer(connect(gateway, counterNs, "inc-" + gateway.name())));
    }
    incrementers.forEach(Incrementer::start);
    load.awaitEveryWriterProgressed(Map.of(), 10, CONVERGE);
    ClusterNode victim = busiestProcessor(decidedBefore, decidedWrites());
    long fencedBefore = victim.metrics().at("/processor/fencedFlushes").asLong();

    Map<String, Long> atPause = load.acks();
    long paused = System.nanoTime();
    victim.pause();
    Duration tookOver;
    try {
      // Every writer progressing again means the survivor owns the paused processor's partitions.
      load.awaitEveryWriterProgressed(atPause, 20, FAILOVER);
      tookOver = since(paused);
      // Be sure the pause outlasted the session timeout, whatever the rebalance timing.
      await("pause past the session timeout").pollDelay(Duration.ZERO).atMost(Duration.ofSeconds(30))
          .until(() -> System.nanoTime() - paused > TimeUnit.SECONDS.toNanos(12));
    } finally {
      victim.resume();
    }
    Map<String, Long> atResume = load.acks();
    // The woken processor drops what it held, rejoins the group, and the partitions may move again: load goes on.
    load.awaitEveryWriterProgressed(atResume, 20, FAILOVER);
    await(victim.name() + " healthy after waking up").atMost(FAILOVER).pollInterval(Duration.ofMillis(500))
        .until(() -> victim.rest().status("/health") == 200);
    load.stop();
    long acknowledgedIncrements = 0;
    for (Incrementer inc : incrementers) {
      acknowledgedIncrements += inc.stop();
    }
    assertThat(load.failures()).as("failed writes").isEmpty();
    for (Incrementer inc : incrementers) {
      assertThat(inc.failures).as("failed increments").isEmpty();
    }

    for (ClusterNode gateway : cluster.gateways()) {
      LoadWriters.assertReadable(load.acknowledged(), gateway);
    }
    long total = acknowledgedIncrements;
    await("the counter holds every acknowledged increment once").atMost(CONVERGE)
        .pollInterval(Duration.ofMillis(250))
        .untilAsserted(() -> assertThat(cluster.gateway(1).rest().get(counterNs, "/count").asLong()).isEqualTo(total));
    awaitConverged(watchers, "/load");
    long fenced = victim.metrics().at("/processor/fencedFlushes").asLong() - fencedBefore;
    report("fencing: paused " + victim.name() + " (SIGSTOP) for " + since(paused).toSeconds() + " s; writers resumed on"
        + " the survivor after " + tookOver + "; after SIGCONT its refused flushes: " + fenced + "; " + load.totalAcks()
        + " acknowledged writes all readable, " + total + " increments exact, listeners converged; scenario "
        + since(start));
  }

  /** Sequential server-value increments of {@code /count} through one client, counting acknowledgements. */
  private static final class Incrementer {
    private final RawClient client;
    private final List<String> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final java.util.concurrent.atomic.AtomicLong acked = new java.util.concurrent.atomic.AtomicLong();
    private volatile boolean running = true;
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();

    Incrementer(RawClient client) {
      this.client = client;
    }

    void start() {
      next();
    }

    private void next() {
      if (!running) {
        stopped.complete(null);
        return;
      }
      client.put("/count", Json.parse("{\".sv\":{\"increment\":1}}"), null)
          .orTimeout(LoadWriters.REPLY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
          .whenComplete((reply, e) -> {
            if (e != null || !"ok".equals(reply.path("s").asText())) {
              failures.add(client.name() + ": " + (e != null ? e : reply));
              stopped.complete(null);
              return;
            }
            acked.incrementAndGet();
            next();
          });
    }

    /** Stops after the increment in flight; returns how many were acknowledged. */
    long stop() throws Exception {
      running = false;
      stopped.get(LoadWriters.REPLY_TIMEOUT.toMillis() + 5_000, TimeUnit.MILLISECONDS);
      return acked.get();
    }
  }

  // ---- helpers ----------------------------------------------------------------------------------------------

  /** Restarts any node a previous (failed) scenario left dead, so that scenarios do not fail in a cascade. */
  private void ensureRunningExcept(Set<ClusterNode> except) {
    List<ClusterNode> all = new ArrayList<>(cluster.processors());
    all.addAll(cluster.gateways());
    for (ClusterNode node : all) {
      if (!except.contains(node) && !node.isAlive()) {
        report("restarting " + node.name() + ", left dead by an earlier scenario");
        node.restart();
      }
    }
  }

  private List<String> namespaces(String prefix, TestInfo test, int count) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(Namespaces.unique(prefix, test));
    }
    return out;
  }

  private RawClient connect(ClusterNode gateway, String ns, String name) {
    RawClient client = RawClient.connect(gateway.wsUri(ns), name, null);
    perTest.add(client);
    return client;
  }

  /** One listener at {@code path} per namespace and gateway. */
  private Map<String, List<RawClient>> watch(List<String> namespaces, String path) {
    Map<String, List<RawClient>> watchers = new LinkedHashMap<>();
    for (String ns : namespaces) {
      for (ClusterNode gateway : cluster.gateways()) {
        RawClient client = connect(gateway, ns, ns + "/watcher-" + gateway.name());
        ok(client, client.await(client.listen(path), "listen " + path), "listen " + path);
        watchers.computeIfAbsent(ns, k -> new ArrayList<>()).add(client);
      }
    }
    return watchers;
  }

  /**
   * Waits until REST reads of {@code path} through every gateway agree, and every client's local tree holds the
   * same value there.
   */
  private void awaitConverged(Map<String, List<RawClient>> clientsByNamespace, String path) {
    await("clients on both gateways converge on the REST value of " + path).atMost(CONVERGE)
        .pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
          for (Map.Entry<String, List<RawClient>> e : clientsByNamespace.entrySet()) {
            String ns = e.getKey();
            JsonNode rest = Json.canonical(cluster.gateway(0).rest().get(ns, path));
            for (ClusterNode gateway : cluster.gateways()) {
              assertThat(Json.canonical(gateway.rest().get(ns, path))).as("%s%s via REST on %s", ns, path,
                  gateway.name()).isEqualTo(rest);
            }
            for (RawClient client : e.getValue()) {
              assertThat(client.violations()).as("%s: protocol violations", client.name()).isEmpty();
              assertThat(Json.canonical(Json.at(client.tree(), path))).as("%s%s as seen by %s", ns, path,
                  client.name()).isEqualTo(rest);
            }
          }
        });
  }

  private static void ok(RawClient client, JsonNode reply, String what) {
    assertThat(reply.path("s").asText()).as("%s: %s -> %s", client.name(), what, reply).isEqualTo("ok");
  }

  /** The processor that decided the most writes between two {@link #decidedWrites} readings (it owns loaded partitions). */
  private ClusterNode busiestProcessor(Map<ClusterNode, Long> before, Map<ClusterNode, Long> after) {
    ClusterNode busiest = cluster.processors().stream()
        .max(Comparator.comparingLong(p -> after.get(p) - before.getOrDefault(p, 0L))).orElseThrow();
    assertThat(after.get(busiest) - before.getOrDefault(busiest, 0L)).as("writes decided by %s", busiest)
        .isPositive();
    return busiest;
  }

  /** Writes each processor has decided since it started ({@code /.metrics.json}); 0 for a dead one. */
  private Map<ClusterNode, Long> decidedWrites() {
    Map<ClusterNode, Long> out = new LinkedHashMap<>();
    for (ClusterNode p : cluster.processors()) {
      out.put(p, p.isAlive() ? p.metrics().at("/processor/writes").asLong() : 0L);
    }
    return out;
  }

  private static Duration since(long startNanos) {
    return Duration.ofMillis((System.nanoTime() - startNanos) / 1_000_000);
  }

  private static void report(String line) {
    System.out.println("[cluster] " + line);
  }
}
