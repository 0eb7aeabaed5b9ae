package io.canopy.acceptance.convergence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.canopy.acceptance.testing.AdminApps;
import io.canopy.acceptance.testing.CanopyProcess;
import io.canopy.acceptance.testing.Json;
import io.canopy.acceptance.testing.OrderCheck;
import io.canopy.acceptance.testing.RawClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.assertj.core.api.SoftAssertions;

/**
 * One convergence run (see {@code ConvergenceIT}): sets up the participants, runs their op loops side by side,
 * waits for quiescence and checks trees, the counter and the order of /hot changes. A summary of every run
 * (seed, ops per client, reruns) goes to {@code target/convergence-summary.txt}.
 */
public final class ConvergenceRun implements AutoCloseable {
  private static final Path SUMMARY = Path.of("target", "convergence-summary.txt");
  private final CanopyProcess server;
  private final String ns;
  private final AdminApps apps;
  private final List<AdminParticipant> admins = new ArrayList<>();
  private final List<RawParticipant> raws = new ArrayList<>();
  private NodeParticipants node;
  private List<Participant> nodeReport = List.of();
  private final StringBuilder summary = new StringBuilder();

  private ConvergenceRun(CanopyProcess server, String ns, long seed) {
    this.server = server;
    this.ns = ns;
    this.apps = new AdminApps(server);
    summary.append("namespace ").append(ns).append(", seed ").append(seed).append(" (-Dcanopy.convergence.seed=")
        .append(seed).append(")\n");
  }

  /** Connects the clients and waits until each has its first view of the namespace. */
  public static ConvergenceRun start(CanopyProcess server, String ns, long seed, int adminCount, int jsCount,
      int rawCount) throws InterruptedException {
    ConvergenceRun run = new ConvergenceRun(server, ns, seed);
    try {
      for (int i = 0; i < adminCount; i++) {
        run.admins.add(new AdminParticipant("admin" + i, seed + i, run.apps.database(ns)));
      }
      for (int i = 0; i < rawCount; i++) {
        String id = "raw" + i;
        run.raws.add(new RawParticipant(id, seed + 100 + i,
            RawClient.connect(server, ns, id, Path.of("target", "raw-wire", "convergence-" + id + ".log"))));
      }
      run.node = new NodeParticipants(server, ns, jsCount, "js", seed + 200,
          Path.of("target", "convergence-node.log"), Path.of("target", "node-wire"));
      for (AdminParticipant a : run.admins) {
        assertThat(a.awaitFirstRootValue(30)).as("%s: first value of the root listener within 30 s "
            + "(wire: target/firebase-admin-wire.log)", a.id()).isTrue();
      }
      run.node.expect("ready", Duration.ofSeconds(60));
    } catch (RuntimeException | AssertionError | InterruptedException e) {
      run.close();
      throw e;
    }
    return run;
  }

  /** All 8 clients issue random ops until {@code duration} has passed, each op awaited before the next. */
  public void issueRandomOpsFor(Duration duration) throws InterruptedException {
    long deadline = System.nanoTime() + duration.toNanos();
    node.send("{\"cmd\":\"start\",\"durationMs\":" + duration.toMillis() + "}");
    List<Thread> threads = new ArrayList<>();
    for (LocalParticipant p : locals()) {
      Thread t = new Thread(() -> p.run(deadline), "convergence-" + p.id());
      t.start();
      threads.add(t);
    }
    for (Thread t : threads) {
      t.join(duration.toMillis() + 90_000);
      assertThat(t.isAlive()).as("%s still running 90 s after the deadline", t.getName()).isFalse();
    }
    JsonNode done = node.expect("done", Duration.ofSeconds(120));
    summary.append("node done: ").append(done).append('\n');
  }

  /**
   * Waits until every client's tree equals the REST view (which no longer changes: every write has been
   * acknowledged), and returns that view.
   */
  public JsonNode awaitQuiescentAndIdentical(Duration timeout) {
    JsonNode rest = Json.canonical(server.rest().get(ns, "/"));
    try {
      await("every client's tree equals the REST view").atMost(timeout).pollInterval(Duration.ofMillis(500))
          .untilAsserted(() -> {
            nodeReport = node.report();
            SoftAssertions soft = new SoftAssertions();
            for (Participant p : all()) {
              soft.assertThat(p.tree()).as("local tree of %s", p.id()).isEqualTo(rest);
            }
            soft.assertAll();
          });
    } catch (AssertionError e) {
      writeSummary();
      throw e;
    }
    assertThat(Json.canonical(server.rest().get(ns, "/"))).as("REST view is stable after all acks").isEqualTo(rest);
    return rest;
  }

  public void assertAll(JsonNode rest) throws InterruptedException {
    List<Participant> everyone = all();
    Map<String, List<String>> orders = new LinkedHashMap<>();
    int committed = 0;
    for (Participant p : everyone) {
      orders.put(p.id(), p.hotSeqs());
      committed += p.committedCounter();
      summary.append(String.format("%-7s ops %5d  committed counter tx %4d  /hot changes seen %5d%s  errors %d%n",
          p.id(), p.ops(), p.committedCounter(), p.hotSeqs().size(),
          p instanceof LocalParticipant l ? "  maxretry " + l.maxRetries() : "", p.errors().size()));
    }
    summary.append("final tree: ").append(Json.abbreviate(Json.write(rest), 2000)).append('\n');
    writeSummary();

    SoftAssertions soft = new SoftAssertions();
    for (Participant p : everyone) {
      soft.assertThat(p.errors()).as("failed ops of %s", p.id()).isEmpty();
      soft.assertThat(p.ops()).as("ops completed by %s", p.id()).isPositive();
    }

    try (RawClient observer = RawClient.connect(server, ns, "observer",
        Path.of("target", "raw-wire", "convergence-observer.log"))) {
      JsonNode ok = observer.await(observer.listen("/"), "listen /");
      soft.assertThat(ok.path("s").asText()).as("observer listen").isEqualTo("ok");
      soft.assertThat(observer.tree()).as("server's view: a new listener's initial data").isEqualTo(rest);
      JsonNode got = observer.call("g", Json.parse("{\"p\":\"/\",\"q\":{}}"));
      soft.assertThat(Json.canonical(got.path("d"))).as("server's view: get of /").isEqualTo(rest);
    }

    soft.assertThat(rest.path("counter").asLong()).as("/counter vs committed counter transactions of all clients")
        .isEqualTo(committed);

    Optional<String> violation = OrderCheck.violation(orders);
    soft.assertThat(violation).as("order of /hot changes across clients (target/convergence-summary.txt)").isEmpty();
    JsonNode finalSeq = rest.path("hot").path("seq");
    if (finalSeq.isTextual()) {
      for (Participant p : everyone) {
        List<String> seqs = p.hotSeqs();
        soft.assertThat(seqs.isEmpty() ? null : seqs.get(seqs.size() - 1)).as("last /hot/seq seen by %s", p.id())
            .isEqualTo(finalSeq.textValue());
      }
    }
    soft.assertAll();
  }

  private List<LocalParticipant> locals() {
    List<LocalParticipant> out = new ArrayList<>(admins);
    out.addAll(raws);
    return out;
  }

  private List<Participant> all() {
    List<Participant> out = new ArrayList<>(locals());
    out.addAll(nodeReport);
    return out;
  }

  private void writeSummary() {
    try {
      Files.createDirectories(SUMMARY.toAbsolutePath().getParent());
      Files.writeString(SUMMARY, summary.toString(), StandardCharsets.UTF_8);
    } catch (IOException ignored) {
      // diagnostic only
    }
  }

  @Override
  public void close() {
    try {
      if (node != null) {
        node.close();
      }
    } finally {
      raws.forEach(r -> r.client().close());
      apps.close();
    }
  }
}
