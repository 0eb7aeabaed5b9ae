package io.canopy.pusher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.canopy.core.error.CanopyException;
import io.canopy.core.json.TreeJson;
import io.canopy.core.log.ChangeRecord;
import io.canopy.core.log.Origin;
import io.canopy.core.ops.Overwrite;
import io.canopy.core.path.Path;
import io.canopy.core.query.QueryIndex;
import io.canopy.core.query.QuerySpec;
import io.canopy.core.rules.RulesDocument;
import io.canopy.core.tree.Node;
import io.canopy.pusher.access.ReadAccess;
import io.canopy.pusher.access.RulesRegistry;
import io.canopy.pusher.delivery.DeliveryMetrics;
import io.canopy.pusher.delivery.Outbox;
import io.canopy.pusher.feed.ChangeBuffer;
import io.canopy.pusher.testing.FakeTransport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The realtime coordinator without Kafka: a single-thread executor plays the feed thread, a ChangeBuffer the
 * change buffer, a Node the store. Outboxes write synchronously, so the transport logs are exact.
 */
class RealtimeTest {
  private static final String NS = "ns";
  private static final QuerySpec LAST_TWO =
      new QuerySpec(QueryIndex.child("score"), null, null, 2, QuerySpec.ViewFrom.RIGHT);

  private final ExecutorService feedThread = Executors.newSingleThreadExecutor();
  private final ExecutorService loaderThread = Executors.newSingleThreadExecutor();
  private final ChangeBuffer buffer = new ChangeBuffer();
  private final DeliveryMetrics metrics = new DeliveryMetrics();
  /** The "store": its tree and checkpoint (the next source offset it does not hold). */
  private volatile Node store = Node.empty();
  private volatile long storeCheckpoint;
  /** The feed position (next offset), and the change log's end as a loader sees it. */
  private long position;
  private volatile long logEnd;
  private volatile CountDownLatch loadGate;
  private volatile RuntimeException loadFailure;
  private final AtomicInteger loads = new AtomicInteger();
  private final AtomicInteger released = new AtomicInteger();
  private final Realtime realtime = new Realtime(new Realtime.FeedOps() {
    @Override
    public boolean execute(Runnable task) {
      try {
        feedThread.execute(task);
        return true;
      } catch (java.util.concurrent.RejectedExecutionException e) {
        return false;
      }
    }

    @Override
    public long position(int partition) {
      return position;
    }

    @Override
    public Node replay(int partition, String namespace, Path path, Node snapshot, long writesOffset) {
      return buffer.replay(namespace, path, snapshot, writesOffset);
    }
  }, new Realtime.SnapshotLoader() {
    @Override
    public Realtime.Snapshot load(String namespace, Path path) {
      loads.incrementAndGet();
      long cp = storeCheckpoint;
      Node snapshot = store.get(path);
      long end = logEnd;
      CountDownLatch gate = loadGate;
      if (gate != null) {
        try {
          gate.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
      }
      if (loadFailure != null) {
        throw loadFailure;
      }
      return new Realtime.Snapshot(loads.get(), 0, cp, snapshot, end);
    }

    @Override
    public void release(Realtime.Snapshot snapshot) {
      released.incrementAndGet();
    }
  }, loaderThread, new io.canopy.pusher.delivery.DeliveryScheduler(Runnable::run, 1), 1 << 20);

  @AfterEach
  void stop() {
    feedThread.shutdownNow();
    loaderThread.shutdownNow();
  }

  private PusherSession session(FakeTransport t, int maxItems) {
    ReadAccess open = new ReadAccess(new RulesRegistry(RulesDocument.ALLOW_ALL, ns -> Node.empty()),
        (ns, path) -> Node.empty());
    return new PusherSession(realtime, new Outbox(t, Runnable::run, metrics, maxItems, 1 << 20), open,
        Runnable::run, s -> {});
  }

  private PusherSession session(FakeTransport t) {
    return session(t, 1000);
  }

  private static Path p(String s) {
    return Path.parse(s);
  }

  /** Commits a change at the next offset: the store does not hold it; the log end moves past it. */
  private ChangeRecord commit(Overwrite... ows) {
    ChangeRecord c = ChangeRecord.accepted(NS, 0, logEnd, 0, new Origin("gw", logEnd), List.of(ows));
    logEnd++;
    return c;
  }

  private static Overwrite w(String path, String json) {
    return new Overwrite(p(path), TreeJson.parse(json));
  }

  /** The feed consumes a change: buffer, position, views, then (like the Pusher) whatever follows the verdict. */
  private void feed(ChangeRecord c, Runnable onVerdict) {
    onFeed(() -> {
      buffer.add(c);
      position = c.sourceOffset() + 1;
      realtime.onChange(c);
      onVerdict.run();
      realtime.afterRound();
    });
  }

  private void feed(ChangeRecord c) {
    feed(c, () -> {});
  }

  private void onFeed(Runnable r) {
    try {
      feedThread.submit(r).get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static void done(CompletableFuture<Void> f) {
    try {
      f.get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Lets the store catch up with everything committed (a flush). */
  private void flushStore(Node tree) {
    store = tree;
    storeCheckpoint = logEnd;
  }

  @Test
  void initialDataPrecedesTheOkThenLiveChangesFollow() {
    FakeTransport t = new FakeTransport();
    PusherSession s = session(t);
    flushStore(TreeJson.parse("{\"a\":{\"x\":1}}"));
    CompletableFuture<Void> f = s.listen(NS, p("/a"), QuerySpec.DEFAULT, null);
    f.thenRun(() -> s.send("ok"));
    done(f);
    feed(commit(w("/a/x", "2")));
    feed(commit(w("/b", "3")));
    feed(commit(w("/", "{\"a\":{\"y\":4}}")));
    assertThat(t.log()).containsExactly("d /a {\"x\":1}", "ok", "d /a/x 2", "d /a {\"y\":4}");
  }

  @Test
  void theWritersEchoIsQueuedBeforeItsAck() {
    FakeTransport writer = new FakeTransport();
    PusherSession s = session(writer);
    done(s.listen(NS, p("/a"), QuerySpec.DEFAULT, null));
    done(s.listen(NS, p("/a/b"), LAST_TWO, 7L));
    // the gateway queues the ack when the verdict completes, which the feed does right after the pushes
    feed(commit(w("/a/b/k", "{\"score\":1}")), () -> s.send("ack"));
    assertThat(writer.log()).containsExactly("d /a null", "d /a/b null #7",
        "d /a/b/k {\"score\":1}", "d /a/b {\"k\":{\"score\":1}} #7", "ack");
  }

  @Test
  void viewsAreSharedByTheirListenersAndReleasedWithTheLast() {
    FakeTransport t1 = new FakeTransport();
    FakeTransport t2 = new FakeTransport();
    PusherSession s1 = session(t1);
    PusherSession s2 = session(t2);
    done(s1.listen(NS, p("/a"), QuerySpec.DEFAULT, null));
    done(s2.listen(NS, p("/a"), QuerySpec.DEFAULT, null));
    // an orderBy without range or limit is a default listen: the same view
    done(s2.listen(NS, p("/a"), QuerySpec.DEFAULT.withIndex(QueryIndex.KEY), null));
    done(s1.listen(NS, p("/a"), LAST_TWO, 1L));
    done(s2.listen(NS, p("/a"), LAST_TWO, 5L));
    onFeed(() -> {});
    assertThat(realtime.views()).isEqualTo(2);
    assertThat(realtime.listeners()).isEqualTo(4);
    assertThat(loads.get()).isEqualTo(1); // the query view was derived from the default view's data

    feed(commit(w("/a/k", "{\"score\":3}")));
    assertThat(t1.log()).containsSubsequence("d /a/k {\"score\":3}", "d /a {\"k\":{\"score\":3}} #1");
    assertThat(t2.log()).containsSubsequence("d /a/k {\"score\":3}", "d /a {\"k\":{\"score\":3}} #5");

    s1.unlisten(NS, p("/a"), QuerySpec.DEFAULT);
    s1.unlisten(NS, p("/a"), QuerySpec.DEFAULT); // twice is harmless
    onFeed(() -> {});
    assertThat(realtime.views()).isEqualTo(2);
    assertThat(realtime.listeners()).isEqualTo(3);
    s2.close();
    onFeed(() -> {});
    assertThat(realtime.views()).isEqualTo(1);
    s1.close();
    onFeed(() -> {});
    assertThat(realtime.views()).isZero();
    assertThat(realtime.listeners()).isZero();
    int before = t1.written().size();
    feed(commit(w("/a/k", "1")));
    assertThat(t1.written()).hasSize(before);
  }

  @Test
  void aNewViewReplaysTheChangesItsSnapshotLacksAndThoseThatArriveWhileItLoads() {
    FakeTransport t = new FakeTransport();
    PusherSession s = session(t);
    // committed and consumed, but not in the store yet
    feed(commit(w("/a/x", "1")));
    feed(commit(w("/a/y", "2")));
    // a third change is in the log when the loader asks for the end, but the feed has not consumed it yet
    ChangeRecord third = commit(w("/a/z", "3"));
    CompletableFuture<Void> f = s.listen(NS, p("/a"), QuerySpec.DEFAULT, null);
    await().atMost(Duration.ofSeconds(5)).until(() -> loads.get() == 1);
    onFeed(() -> {}); // the loaded snapshot is now waiting on the feed thread for the feed to reach the end
    assertThat(f).isNotDone();
    assertThat(realtime.loadingViews()).isEqualTo(1);
    feed(third);
    done(f);
    feed(commit(w("/a/x", "10")));
    assertThat(t.log()).containsExactly("d /a {\"x\":1,\"y\":2,\"z\":3}", "d /a/x 10");
    assertThat(released.get()).isEqualTo(1);
  }

  @Test
  void aRepeatedListenTakesTheNewTagAndGetsTheDataAgain() {
    FakeTransport t = new FakeTransport();
    PusherSession s = session(t);
    flushStore(TreeJson.parse("{\"a\":{\"k\":{\"score\":1}}}"));
    done(s.listen(NS, p("/a"), LAST_TWO, 1L));
    done(s.listen(NS, p("/a"), LAST_TWO, 2L));
    feed(commit(w("/a/j", "{\"score\":2}")));
    assertThat(t.log()).containsExactly("d /a {\"k\":{\"score\":1}} #1", "d /a {\"k\":{\"score\":1}} #2",
        "d /a {\"j\":{\"score\":2},\"k\":{\"score\":1}} #2");
    assertThat(realtime.listeners()).isEqualTo(1);
  }

  @Test
  void listensWaitingForTheSameLoadAreServedTogether() {
    loadGate = new CountDownLatch(1);
    FakeTransport t1 = new FakeTransport();
    FakeTransport t2 = new FakeTransport();
    PusherSession s1 = session(t1);
    PusherSession s2 = session(t2);
    flushStore(TreeJson.parse("{\"a\":1}"));
    CompletableFuture<Void> f1 = s1.listen(NS, p("/a"), QuerySpec.DEFAULT, null);
    CompletableFuture<Void> f1again = s1.listen(NS, p("/a"), QuerySpec.DEFAULT, null);
    CompletableFuture<Void> f2 = s2.listen(NS, p("/a"), QuerySpec.DEFAULT, null);
    onFeed(() -> {});
    assertThat(f1).isNotDone();
    loadGate.countDown();
    done(f1);
    done(f1again);
    done(f2);
    assertThat(loads.get()).isEqualTo(1);
    assertThat(t1.log()).containsExactly("d /a 1");
    assertThat(t2.log()).containsExactly("d /a 1");
  }

  @Test
  void unlistenOrCloseWhileLoadingReleasesTheView() {
    loadGate = new CountDownLatch(1);
    FakeTransport t = new FakeTransport();
    PusherSession s = session(t);
    CompletableFuture<Void> f = s.listen(NS, p("/a"), QuerySpec.DEFAULT, null);
    s.unlisten(NS, p("/a"), QuerySpec.DEFAULT);
    done(f); // the listen is over; its reply is still due
    PusherSession s2 = session(new FakeTransport());
    CompletableFuture<Void> f2 = s2.listen(NS, p("/b"), QuerySpec.DEFAULT, null);
    onFeed(() -> {});
    assertThat(realtime.loadingViews()).isEqualTo(1);
    s2.close();
    assertThatThrownBy(() -> f2.get(10, TimeUnit.SECONDS))
        .isInstanceOf(java.util.concurrent.CancellationException.class);
    onFeed(() -> {});
    assertThat(realtime.views()).isZero();
    assertThat(realtime.loadingViews()).isZero();
    loadGate.countDown();
    await().atMost(Duration.ofSeconds(5)).until(() -> released.get() == 2);
    onFeed(() -> {});
    assertThat(t.written()).isEmpty();
    assertThat(s2.listen(NS, p("/b"), QuerySpec.DEFAULT, null)).isCompletedExceptionally();
  }

  @Test
  void aFailedLoadFailsTheListen() throws Exception {
    loadFailure = new IllegalStateException("store down");
    PusherSession s = session(new FakeTransport());
    CompletableFuture<Void> f = s.listen(NS, p("/a"), QuerySpec.DEFAULT, null);
    assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(CanopyException.class);
    onFeed(() -> {});
    assertThat(realtime.views()).isZero();
    assertThat(realtime.listeners()).isZero();
    assertThat(realtime.loadFailures()).isEqualTo(1);
    loadFailure = null;
    done(s.listen(NS, p("/a"), QuerySpec.DEFAULT, null));
  }

  @Test
  void aSlowSessionIsResyncedWithSnapshotsWhileOthersGetEveryDelta() {
    FakeTransport fast = new FakeTransport();
    FakeTransport slow = new FakeTransport();
    PusherSession sf = session(fast);
    PusherSession ss = session(slow, 5);
    done(sf.listen(NS, p("/c"), QuerySpec.DEFAULT, null));
    done(ss.listen(NS, p("/c"), QuerySpec.DEFAULT, null));
    done(ss.listen(NS, p("/c"), LAST_TWO, 9L));
    slow.block();
    for (int i = 0; i < 20; i++) {
      int n = i;
      feed(commit(w("/c/k" + (i % 3), "{\"score\":" + i + "}")), () -> ss.send("ack-" + n));
    }
    assertThat(ss.queuedItems()).isLessThan(5 + 20 + 2);
    slow.unblock();
    assertThat(metrics.resyncs()).isPositive();
    assertThat(metrics.droppedPushes()).isPositive();
    // every ack survived, in order
    List<String> acks = new ArrayList<>();
    for (String line : slow.log()) {
      if (line.startsWith("ack-")) {
        acks.add(line);
      }
    }
    List<String> expectedAcks = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      expectedAcks.add("ack-" + i);
    }
    assertThat(acks).isEqualTo(expectedAcks);
    // and the slow client converged: the last data it got for each view is the current value
    String current = "{\"k0\":{\"score\":18},\"k1\":{\"score\":19},\"k2\":{\"score\":17}}";
    Node rebuilt = replay(slow.written(), p("/c"), null);
    assertThat(TreeJson.write(rebuilt, true)).isEqualTo(current);
    Node window = replay(slow.written(), p("/c"), 9L);
    assertThat(TreeJson.write(window, true)).isEqualTo("{\"k0\":{\"score\":18},\"k1\":{\"score\":19}}");
    // the fast session saw every delta
    assertThat(fast.written().stream().filter(o -> o instanceof DataPush).count()).isEqualTo(1 + 20);
    assertThat(TreeJson.write(replay(fast.written(), p("/c"), null), true)).isEqualTo(current);
  }

  @Test
  void aChangeFansOutToManySessionsInOrder() {
    List<FakeTransport> transports = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      FakeTransport t = new FakeTransport();
      transports.add(t);
      PusherSession s = session(t);
      done(s.listen(NS, p("/room"), i % 2 == 0 ? QuerySpec.DEFAULT : LAST_TWO, i % 2 == 0 ? null : (long) i));
    }
    for (int c = 0; c < 5; c++) {
      feed(commit(w("/room/m" + c, "{\"score\":" + c + "}")));
    }
    for (int i = 0; i < 50; i++) {
      FakeTransport t = transports.get(i);
      if (i % 2 == 0) {
        assertThat(t.log()).containsExactly("d /room null", "d /room/m0 {\"score\":0}", "d /room/m1 {\"score\":1}",
            "d /room/m2 {\"score\":2}", "d /room/m3 {\"score\":3}", "d /room/m4 {\"score\":4}");
      } else {
        assertThat(t.log()).hasSize(6).last()
            .isEqualTo("d /room {\"m3\":{\"score\":3},\"m4\":{\"score\":4}} #" + i);
      }
    }
  }

  /** What a client's view at {@code path} with {@code tag} holds after applying the pushes it got. */
  static Node replay(List<Object> written, Path path, Long tag) {
    Node v = Node.empty();
    for (Object o : written) {
      if (o instanceof DataPush push && java.util.Objects.equals(push.tag(), tag)) {
        Path rel = path.relativize(push.path());
        if (push.isMerge()) {
          for (var e : push.mergeChildren().entrySet()) {
            v = v.set(rel.child(Path.parse(e.getKey())), e.getValue());
          }
        } else {
          v = v.set(rel, push.data());
        }
      }
    }
    return v;
  }

  @Test
  void stoppingFailsListensStillWaitingAndRefusesNewOnes() {
    loadGate = new CountDownLatch(1);
    PusherSession s = session(new FakeTransport());
    CompletableFuture<Void> f = s.listen(NS, p("/a"), QuerySpec.DEFAULT, null);
    onFeed(() -> realtime.onStopped(null));
    assertThat(f).isCompletedExceptionally();
    assertThatThrownBy(() -> s.listen(NS, p("/b"), QuerySpec.DEFAULT, null).get(10, TimeUnit.SECONDS))
        .hasCauseInstanceOf(CanopyException.class);
    loadGate.countDown();
  }
}
