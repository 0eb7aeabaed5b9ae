package io.canopy.presence.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.canopy.core.json.TreeJson;
import io.canopy.core.ops.WriteOp;
import io.canopy.core.path.Path;
import io.canopy.core.rules.AuthContext;
import io.canopy.core.rules.Caller;
import io.canopy.core.tree.LeafNode;
import io.canopy.core.tree.Node;
import io.canopy.presence.ClusterRateLimiter.WindowCount;
import io.canopy.presence.ClusterState;
import io.canopy.presence.ConnectionRef;
import io.canopy.presence.FencedException;
import io.canopy.presence.OrphanQueue;
import io.canopy.presence.QueuedWrite;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract of the presence SPIs ({@link io.canopy.presence.OnDisconnectStore},
 * {@link io.canopy.presence.NodeLiveness}, {@link io.canopy.presence.Presence},
 * {@link io.canopy.presence.ClusterRateLimiter}); every implementation runs it by supplying {@link #newState}.
 * Gateway ids are unique per test, so a shared store needs no cleaning between tests.
 */
public abstract class ClusterStateConformance {
  private static final Duration LONG = Duration.ofSeconds(30);
  private static final Duration SHORT = Duration.ofMillis(300);
  private static final Caller USER = Caller.user(AuthContext.of("alice"));

  protected ClusterState state;
  private String gw;
  private String other;

  /** A fresh state (a new object; it may share a store with earlier ones). Closed after each test. */
  protected abstract ClusterState newState();

  @BeforeEach
  void open() {
    state = newState();
    String run = UUID.randomUUID().toString().substring(0, 8);
    gw = "gw-a-" + run;
    other = "gw-b-" + run;
  }

  @AfterEach
  void closeState() {
    state.close();
  }

  private static <T> T join(CompletableFuture<T> f) {
    return f.orTimeout(10, TimeUnit.SECONDS).join();
  }

  private static QueuedWrite set(String path, Object value) {
    return new QueuedWrite("ns1", USER, new WriteOp.Set(Path.parse(path), node(value)));
  }

  private ConnectionRef conn(String id) {
    return new ConnectionRef(gw, id);
  }

  @Test
  void aQueueDrainsInOrderOnceAndKeepsNamespaceCallerAndOp() {
    join(state.liveness().renew(gw, LONG));
    Map<String, Object> children = new LinkedHashMap<>();
    children.put("members/me", null);
    children.put("count", Map.of(".sv", Map.of("increment", -1)));
    QueuedWrite merge = new QueuedWrite("ns2", Caller.ADMIN, new WriteOp.Merge(Path.parse("rooms/r1"),
        toMerge(children)));
    join(state.onDisconnect().add(conn("c1"), set("presence/me", false)));
    join(state.onDisconnect().add(conn("c1"), merge));
    join(state.onDisconnect().add(conn("c1"), new QueuedWrite("ns1", Caller.ANONYMOUS,
        new WriteOp.Set(Path.parse("last/me"), node(Map.of(".sv", "timestamp"))))));
    join(state.onDisconnect().add(conn("c2"), set("other", 1)));

    List<QueuedWrite> drained = join(state.onDisconnect().drain(conn("c1")));
    assertThat(drained).extracting(w -> w.op().path().toString()).containsExactly("/presence/me", "/rooms/r1",
        "/last/me");
    assertThat(drained.get(0)).isEqualTo(set("presence/me", false));
    assertThat(drained.get(1)).isEqualTo(merge);
    assertThat(drained.get(2).caller()).isEqualTo(Caller.ANONYMOUS);
    assertThat(join(state.onDisconnect().drain(conn("c1")))).as("a queue drains once").isEmpty();
    assertThat(join(state.onDisconnect().drain(conn("c2")))).containsExactly(set("other", 1));
    assertThat(join(state.onDisconnect().drain(conn("never")))).isEmpty();
  }

  @Test
  void cancelRemovesWritesAtAndBelowThePathAndTrimsWritesAbove() {
    join(state.liveness().renew(gw, LONG));
    join(state.onDisconnect().add(conn("c"), set("typing/me", true)));
    join(state.onDisconnect().add(conn("c"), set("presence", Map.of("me", false, "you", true))));
    join(state.onDisconnect().add(conn("c"), set("last", 1)));
    join(state.onDisconnect().cancel(conn("c"), Path.parse("typing")));
    join(state.onDisconnect().cancel(conn("c"), Path.parse("presence/me")));

    List<QueuedWrite> left = join(state.onDisconnect().drain(conn("c")));
    assertThat(left).hasSize(2);
    assertThat(left.get(0).op()).isEqualTo(new WriteOp.Merge(Path.parse("presence"),
        Map.of(Path.parse("you"), LeafNode.of(true))));
    assertThat(left.get(0).caller()).isEqualTo(USER);
    assertThat(left.get(1)).isEqualTo(set("last", 1));

    join(state.onDisconnect().add(conn("d"), set("a/b", 1)));
    join(state.onDisconnect().cancel(conn("d"), Path.ROOT));
    assertThat(join(state.onDisconnect().drain(conn("d")))).isEmpty();
    join(state.onDisconnect().cancel(conn("none"), Path.parse("x"))); // nothing queued: nothing to do
  }

  @Test
  void setCallerJudgesEveryQueuedWriteAsTheNewCaller() {
    join(state.liveness().renew(gw, LONG));
    join(state.onDisconnect().add(conn("c"), set("a", 1)));
    join(state.onDisconnect().add(conn("c"), set("b", 2)));
    join(state.onDisconnect().setCaller(conn("c"), Caller.ANONYMOUS));
    assertThat(join(state.onDisconnect().drain(conn("c")))).extracting(QueuedWrite::caller)
        .containsExactly(Caller.ANONYMOUS, Caller.ANONYMOUS);
  }

  @Test
  void nothingIsClaimedWhileTheGatewayHoldsItsLease() {
    join(state.liveness().renew(gw, LONG));
    join(state.onDisconnect().add(conn("c"), set("a", 1)));
    assertThat(join(state.liveness().deadGateways())).doesNotContain(gw);
    assertThat(join(state.liveness().liveGateways())).contains(gw);
    assertThat(join(state.onDisconnect().claimOrphans(gw, other))).isEmpty();
    assertThat(join(state.onDisconnect().drain(conn("c")))).containsExactly(set("a", 1));
  }

  @Test
  void aGatewayWhoseLeaseExpiredIsDeadAndItsQueuesGoToOneClaimantOnce() {
    join(state.liveness().renew(gw, SHORT));
    join(state.onDisconnect().add(conn("c1"), set("presence/c1", false)));
    join(state.onDisconnect().add(conn("c1"), set("last/c1", 1)));
    join(state.onDisconnect().add(conn("c2"), set("presence/c2", false)));
    join(state.onDisconnect().add(conn("empty"), set("x", 1)));
    join(state.onDisconnect().cancel(conn("empty"), Path.parse("x")));

    await().atMost(Duration.ofSeconds(5)).until(() -> join(state.liveness().deadGateways()).contains(gw));
    assertThat(join(state.liveness().liveGateways())).doesNotContain(gw);

    List<OrphanQueue> claimed = new ArrayList<>(join(state.onDisconnect().claimOrphans(gw, other)));
    claimed.sort((a, b) -> a.connection().connectionId().compareTo(b.connection().connectionId()));
    assertThat(claimed).extracting(OrphanQueue::connection).containsExactly(conn("c1"), conn("c2"));
    assertThat(claimed.get(0).writes()).containsExactly(set("presence/c1", false), set("last/c1", 1));
    assertThat(claimed.get(1).writes()).containsExactly(set("presence/c2", false));

    assertThat(join(state.onDisconnect().claimOrphans(gw, other))).as("a second claim").isEmpty();
    assertThat(join(state.onDisconnect().drain(conn("c1")))).as("the owner's drain after the claim").isEmpty();
    assertThat(join(state.liveness().deadGateways())).as("a claimed gateway is forgotten").doesNotContain(gw);
  }

  @Test
  void concurrentClaimsOfOneDeadGatewayHandItsQueuesToExactlyOneOfThem() throws Exception {
    join(state.liveness().renew(gw, SHORT));
    for (int i = 0; i < 20; i++) {
      join(state.onDisconnect().add(conn("c" + i), set("p/c" + i, false)));
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> join(state.liveness().deadGateways()).contains(gw));

    int claimants = 8;
    List<ClusterState> states = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(claimants);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<List<OrphanQueue>>> claims = new ArrayList<>();
      for (int i = 0; i < claimants; i++) {
        ClusterState s = i == 0 ? state : sibling();
        states.add(s);
        String claimant = "claimant-" + i;
        claims.add(pool.submit(() -> {
          go.await();
          return join(s.onDisconnect().claimOrphans(gw, claimant));
        }));
      }
      go.countDown();
      int winners = 0;
      int writes = 0;
      for (Future<List<OrphanQueue>> claim : claims) {
        List<OrphanQueue> got = claim.get(20, TimeUnit.SECONDS);
        if (!got.isEmpty()) {
          winners++;
          writes += got.stream().mapToInt(q -> q.writes().size()).sum();
        }
      }
      assertThat(winners).isEqualTo(1);
      assertThat(writes).isEqualTo(20);
    } finally {
      pool.shutdownNow();
      states.stream().filter(s -> s != state).forEach(ClusterState::close);
    }
  }

  /**
   * Another client of the same store (for a shared store, a new connection; for an unshared one, this one),
   * closed by the caller unless it is {@link #state}.
   */
  protected ClusterState sibling() {
    return state;
  }

  @Test
  void aClaimedGatewayIsFencedUntilItRejoins() {
    join(state.liveness().renew(gw, SHORT));
    join(state.onDisconnect().add(conn("c"), set("a", 1)));
    await().atMost(Duration.ofSeconds(5)).until(() -> join(state.liveness().deadGateways()).contains(gw));
    assertThat(join(state.onDisconnect().claimOrphans(gw, other))).hasSize(1);

    assertThat(join(state.liveness().renew(gw, LONG))).as("renewing after the claim").isFalse();
    assertThat(join(state.liveness().liveGateways())).doesNotContain(gw);
    assertThatThrownBy(() -> join(state.onDisconnect().add(conn("c"), set("b", 2))))
        .isInstanceOf(CompletionException.class).hasCauseInstanceOf(FencedException.class);
    assertThatThrownBy(() -> join(state.onDisconnect().setCaller(conn("c"), Caller.ADMIN)))
        .hasCauseInstanceOf(FencedException.class);

    assertThat(join(state.liveness().rejoin(gw, LONG))).isTrue();
    assertThat(join(state.liveness().liveGateways())).contains(gw);
    join(state.onDisconnect().add(conn("c2"), set("b", 2)));
    assertThat(join(state.onDisconnect().drain(conn("c2")))).containsExactly(set("b", 2));
  }

  @Test
  void aReleasedLeaseMakesTheGatewayDeadAtOnce() {
    join(state.liveness().renew(gw, LONG));
    join(state.onDisconnect().add(conn("c"), set("a", 1)));
    join(state.liveness().release(gw));
    assertThat(join(state.liveness().deadGateways())).contains(gw);
    assertThat(join(state.onDisconnect().claimOrphans(gw, other))).extracting(OrphanQueue::connection)
        .containsExactly(conn("c"));
  }

  @Test
  void presenceCountsConnectionsPerNamespaceOverLiveGateways() {
    join(state.liveness().renew(gw, LONG));
    join(state.liveness().renew(other, SHORT));
    String ns = "ns-" + gw; // other tests' counts may share the store
    join(state.presence().opened(gw, ns));
    join(state.presence().opened(gw, ns));
    join(state.presence().opened(other, ns));
    join(state.presence().opened(gw, ns + "-b"));
    join(state.presence().closed(gw, ns + "-b"));
    assertThat(join(state.presence().connections())).containsEntry(ns, 3L).doesNotContainKey(ns + "-b");

    await().atMost(Duration.ofSeconds(5)).until(() -> join(state.liveness().deadGateways()).contains(other));
    assertThat(join(state.presence().connections())).as("a dead gateway's count").containsEntry(ns, 2L);
    join(state.presence().forget(other));
    join(state.presence().forget(other));
    join(state.presence().closed(gw, ns));
    assertThat(join(state.presence().connections())).containsEntry(ns, 1L);
  }

  @Test
  void rateWindowsCountAcrossCallersAndStartOverInTheNextWindow() {
    String ns = "rate-" + gw;
    long window = 400;
    // start near the beginning of a window, so the three adds land in the same one
    await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(5))
        .until(() -> join(state.rateLimiter().add(ns + "-probe", 0, window)).remainingMs() > 250);
    WindowCount first = join(state.rateLimiter().add(ns, 3, window));
    WindowCount second = join(state.rateLimiter().add(ns, 4, window));
    WindowCount read = join(state.rateLimiter().add(ns, 0, window));
    assertThat(first.total()).isEqualTo(3);
    assertThat(second.total()).isEqualTo(7);
    assertThat(read.total()).isEqualTo(7);
    assertThat(second.remainingMs()).isBetween(1L, window);
    assertThat(join(state.rateLimiter().add(ns + "-other", 1, window)).total()).isEqualTo(1);

    await().atMost(Duration.ofSeconds(5)).until(() -> join(state.rateLimiter().add(ns, 0, window)).total() == 0);
  }

  @Test
  void pingAnswers() {
    join(state.ping());
    assertThat(state.describe()).isNotBlank();
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private static Node node(Object value) {
    try {
      return TreeJson.parse(JSON.writeValueAsString(value));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static Map<Path, Node> toMerge(Map<String, Object> children) {
    Map<Path, Node> m = new LinkedHashMap<>();
    children.forEach((k, v) -> m.put(Path.parse(k), node(v)));
    return m;
  }
}
