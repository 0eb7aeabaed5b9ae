package io.canopy.gateway.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.canopy.core.json.TreeJson;
import io.canopy.core.log.ChangeRecord;
import io.canopy.core.ops.WriteOp;
import io.canopy.core.path.Path;
import io.canopy.core.rules.Caller;
import io.canopy.gateway.GatewayCluster;
import io.canopy.presence.ClusterState;
import io.canopy.presence.ConnectionRef;
import io.canopy.presence.QueuedWrite;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Two agents on one in-memory state: a halted one's queues are reaped by the other, once. */
class ClusterAgentTest {
  private static final ClusterState.Timing FAST = ClusterState.Timing.ofLeaseTtl(Duration.ofMillis(300));
  private final ClusterState state = ClusterState.inMemory();
  private final List<QueuedWrite> producedByB = new CopyOnWriteArrayList<>();
  private ClusterAgent a;
  private ClusterAgent b;

  @AfterEach
  void stop() {
    if (a != null) {
      a.close();
    }
    if (b != null) {
      b.close();
    }
  }

  private static QueuedWrite write(String path) {
    return new QueuedWrite("ns", Caller.ADMIN, new WriteOp.Set(Path.parse(path), TreeJson.parse("true")));
  }

  private static CompletableFuture<ChangeRecord> never(QueuedWrite w) {
    return new CompletableFuture<>();
  }

  @Test
  void aHaltedGatewaysQueuesAreProducedOnceBySurvivor() {
    a = ClusterAgent.start(new GatewayCluster("gw-a", state, FAST), ClusterAgentTest::never);
    b = ClusterAgent.start(new GatewayCluster("gw-b", state, FAST), w -> {
      producedByB.add(w);
      return new CompletableFuture<>();
    });
    ConnectionRef conn = new ConnectionRef("gw-a", "c1");
    state.onDisconnect().add(conn, write("presence/x")).join();
    state.onDisconnect().add(conn, write("last/x")).join();
    a.connectionOpened("ns");
    await().atMost(Duration.ofSeconds(3)).until(() -> b.stats().get("connections").equals(Map.of("ns",
        1L)));

    a.halt();
    assertThat(a.halted()).isTrue();
    await().atMost(Duration.ofSeconds(3)).until(() -> producedByB.size() == 2);
    assertThat(producedByB).extracting(w -> w.op().path().toString()).containsExactly("/presence/x", "/last/x");
    await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> producedByB.size() == 2);
    assertThat(b.stats()).containsEntry("reapedWrites", 2L).containsEntry("reapedGateways", 1L);
    await().atMost(Duration.ofSeconds(3)).until(() -> b.stats().get("connections").equals(Map.of()));
  }

  @Test
  void aCleanCloseGivesTheLeaseUpAfterTrackedWork() {
    a = ClusterAgent.start(new GatewayCluster("gw-a", state, ClusterState.Timing.defaults()), ClusterAgentTest::never);
    CompletableFuture<Void> work = a.track(new CompletableFuture<>());
    assertThat(state.liveness().liveGateways().join()).contains("gw-a");
    work.complete(null);
    a.close();
    assertThat(state.liveness().liveGateways().join()).doesNotContain("gw-a");
    assertThat(state.liveness().deadGateways().join()).contains("gw-a");
  }

  @Test
  void aFencedGatewayClosesItsConnectionsAndRejoins() {
    a = ClusterAgent.start(new GatewayCluster("gw-a", state, FAST), ClusterAgentTest::never);
    AtomicInteger closed = new AtomicInteger();
    a.onFenced(closed::incrementAndGet);
    // as if a's lease had lapsed and a survivor claimed it
    state.liveness().release("gw-a").join();
    state.onDisconnect().claimOrphans("gw-a", "gw-b").join();
    await().atMost(Duration.ofSeconds(3)).until(() -> closed.get() == 1);
    assertThat(a.stats()).containsEntry("fenced", 1L);
    await().atMost(Duration.ofSeconds(3)).until(() -> state.liveness().liveGateways().join().contains("gw-a"));
  }
}
