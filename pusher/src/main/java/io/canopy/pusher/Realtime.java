package io.canopy.pusher;

import io.canopy.core.error.CanopyException;
import io.canopy.core.error.ErrorCode;
import io.canopy.core.log.ChangeRecord;
import io.canopy.core.metrics.Histogram;
import io.canopy.core.ops.Overwrite;
import io.canopy.core.path.Path;
import io.canopy.core.tree.Node;
import io.canopy.pusher.delivery.DeliveryScheduler;
import io.canopy.pusher.delivery.Outbox;
import io.canopy.pusher.delivery.SizeEstimator;
import io.canopy.pusher.index.PathIndex;
import io.canopy.pusher.view.View;
import io.canopy.pusher.view.ViewKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The realtime half of the pusher: the view cache (one view per (namespace, path, query), shared by its
 * listeners), the path index over it, and the fan-out of each change to the listeners' outboxes.
 *
 * <p><b>Threads.</b> All state here is owned by the feed thread: listens, unlistens and session closes arrive as
 * tasks on it ({@link FeedOps#execute}); changes arrive on it in log order ({@link #onChange}). A new view's store
 * snapshot is read on a loader thread and finished on the feed thread once the feed has consumed the change log
 * up to the end offset taken after the snapshot, so snapshot + replay of the buffered changes + every later change
 * applied live is exactly the committed history. Because everything that touches views runs on that one thread,
 * a change's pushes are queued to every affected listener's outbox before the change's verdict is routed (the
 * caller routes it after {@link #onChange} returns): the writer's echo precedes its ack.
 */
final class Realtime {
  private static final Logger LOG = LoggerFactory.getLogger(Realtime.class);
  static final long LOAD_TIMEOUT_NANOS = 10_000_000_000L;

  /** The feed thread's services this class needs (a seam for tests). */
  interface FeedOps {
    /** Runs the task on the feed thread; false if the feed has stopped. */
    boolean execute(Runnable task);

    /** The feed's position in {@code partition}; called on the feed thread. */
    long position(int partition);

    /** Lays the buffered changes of {@code partition} from {@code writesOffset} over {@code snapshot}. */
    Node replay(int partition, String namespace, Path path, Node snapshot, long writesOffset);
  }

  /** Reads a starting point for a new view, off the feed thread (a seam for tests). */
  interface SnapshotLoader {
    /**
     * Blocking: registers and reads the partition's checkpoint (so the buffer keeps the changes after it), then the
     * store snapshot at the path, then the change log's end offset.
     */
    Snapshot load(String namespace, Path path);

    /** Unregisters the checkpoint of a snapshot that was replayed or abandoned. */
    void release(Snapshot snapshot);
  }

  /** What a loader read; {@code id} is the loader's own handle. */
  record Snapshot(long id, int partition, long writesOffset, Node node, long endOffset) {}

  private final FeedOps feed;
  private final SnapshotLoader loader;
  private final Executor loaderExecutor;
  private final DeliveryScheduler scheduler;
  private final long maxPushBytes;

  // ---- feed-thread state ----
  private final Map<ViewKey, Entry> entries = new HashMap<>();
  /** Change → push: from a write's log time to its pushes being queued to every affected session. */
  private final Histogram changeToPush = Histogram.latencyMillis();
  private final PathIndex<Entry> index = new PathIndex<>();
  private final List<PendingLoad> pendingLoads = new ArrayList<>();
  private final List<PusherSession> resyncQueue = new ArrayList<>();
  private final List<Outbox> touched = new ArrayList<>();
  private long deliveryRound = 1;
  private final List<Entry> affected = new ArrayList<>();
  private final Collector collector = new Collector();
  private long changeStamp;
  /** Entries in {@link #entries} still loading. */
  private int loading;
  private boolean stopped;
  private Throwable stopCause;

  // ---- published counters (written on the feed thread) ----
  private volatile int viewCount;
  private volatile int loadingCount;
  private volatile int listenerCount;
  private volatile long viewLoads;
  private volatile long viewsDerived;
  private volatile long loadFailures;
  private volatile long changesApplied;

  /** One view with its listeners. */
  static final class Entry {
    final ViewKey key;
    /** Null while loading. */
    View view;
    boolean released;
    final ArrayList<Listener> listeners = new ArrayList<>(2);
    /** The current value as an untagged push with its size, computed once per value; null when stale. */
    DataPush snapshot;
    long snapshotBytes;
    // scratch of the change being dispatched
    long stamp;
    final ArrayList<Overwrite> batch = new ArrayList<>(2);

    Entry(ViewKey key) {
      this.key = key;
    }
  }

  /** One listen of one session. */
  static final class Listener {
    final PusherSession session;
    final Entry entry;
    Long tag;
    int slot;
    /** Listen futures waiting for the initial data; null once served. */
    List<CompletableFuture<Void>> waiting;

    Listener(PusherSession session, Entry entry, Long tag) {
      this.session = session;
      this.entry = entry;
      this.tag = tag;
    }
  }

  private record PendingLoad(Entry entry, Snapshot snapshot, long deadlineNanos) {}

  Realtime(FeedOps feed, SnapshotLoader loader, Executor loaderExecutor, DeliveryScheduler scheduler,
      long maxPushBytes) {
    this.feed = Objects.requireNonNull(feed, "feed");
    this.loader = Objects.requireNonNull(loader, "loader");
    this.loaderExecutor = Objects.requireNonNull(loaderExecutor, "loaderExecutor");
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.maxPushBytes = maxPushBytes;
  }

  // ================= requests (any thread) =================

  CompletableFuture<Void> listen(PusherSession session, ViewKey key, Long tag) {
    CompletableFuture<Void> f = new CompletableFuture<>();
    if (!feed.execute(() -> doListen(session, key, tag, f))) {
      f.completeExceptionally(unavailable("the pusher has stopped"));
    }
    return f;
  }

  void unlisten(PusherSession session, ViewKey key) {
    feed.execute(() -> doUnlisten(session, key));
  }

  void closeSession(PusherSession session) {
    feed.execute(() -> doCloseSession(session));
  }

  /** A listen of one session, as access re-checks see it. */
  record ListenRef(ViewKey key, Long tag) {}

  /** The session's listens in {@code namespace} (all of them when null), read on the feed thread. */
  CompletableFuture<List<ListenRef>> listensOf(PusherSession session, String namespace) {
    CompletableFuture<List<ListenRef>> f = new CompletableFuture<>();
    if (!feed.execute(() -> {
      List<ListenRef> out = new ArrayList<>();
      for (Listener l : session.listens.values()) {
        if (namespace == null || l.entry.key.namespace().equals(namespace)) {
          out.add(new ListenRef(l.entry.key, l.tag));
        }
      }
      f.complete(out);
    })) {
      f.complete(List.of());
    }
    return f;
  }

  /**
   * Ends a listen that is no longer allowed and queues {@link ListenRevoked} in its place in the session's order.
   * Nothing happens if the listen is already gone.
   */
  void revoke(PusherSession session, ViewKey key) {
    feed.execute(() -> {
      Listener l = session.listens.get(key);
      if (l == null) {
        return;
      }
      Long tag = l.tag;
      doUnlisten(session, key);
      session.outbox.send(new ListenRevoked(key.namespace(), key.path(), key.query(), tag));
    });
  }

  /** The sessions with at least one listen in {@code namespace} (feed thread). */
  java.util.Set<PusherSession> sessionsListeningTo(String namespace) {
    java.util.Set<PusherSession> out = new java.util.HashSet<>();
    for (Entry e : entries.values()) {
      if (e.key.namespace().equals(namespace)) {
        for (Listener l : e.listeners) {
          out.add(l.session);
        }
      }
    }
    return out;
  }

  // ================= listen / unlisten (feed thread) =================

  private void doListen(PusherSession session, ViewKey key, Long tag, CompletableFuture<Void> f) {
    if (stopped) {
      f.completeExceptionally(unavailable("the pusher has stopped"));
      return;
    }
    if (session.isClosed()) {
      f.completeExceptionally(new CancellationException("session closed"));
      return;
    }
    Listener l = session.listens.get(key);
    if (l != null) {
      // a repeated listen replaces the old one (maybe with a new tag) and gets the data again
      l.tag = tag;
      if (l.entry.view == null) {
        l.waiting.add(f);
      } else {
        deliver(session, tagged(snapshotOf(l.entry), tag), l.entry.snapshotBytes);
        flushDeliveries();
        f.complete(null);
      }
      return;
    }
    Entry e = entries.get(key);
    boolean load = false;
    if (e == null) {
      e = new Entry(key);
      entries.put(key, e);
      Entry source = index.nearestAncestorOrSelf(key.namespace(), key.path(), x -> x.view != null);
      if (source != null) {
        // a ready view at or above the path holds the current data: no store read needed
        Node node = source.view.node().get(source.key.path().relativize(key.path()));
        e.view = View.create(key, node);
        index.add(key.namespace(), key.path(), e);
        viewsDerived++;
      } else {
        loading++;
        load = true;
      }
      publishCounts();
    }
    l = new Listener(session, e, tag);
    l.slot = e.listeners.size();
    e.listeners.add(l);
    session.listens.put(key, l);
    listenerCount++;
    if (e.view == null) {
      l.waiting = new ArrayList<>(1);
      l.waiting.add(f);
      if (load) {
        startLoad(e);
      }
    } else {
      deliver(session, tagged(snapshotOf(e), tag), e.snapshotBytes);
      flushDeliveries();
      f.complete(null);
    }
  }

  private void doUnlisten(PusherSession session, ViewKey key) {
    Listener l = session.listens.remove(key);
    if (l == null) {
      return;
    }
    removeListener(l);
    if (l.waiting != null) {
      // superseded before its data came: the listen is over, its reply is still due in order
      l.waiting.forEach(w -> w.complete(null));
      l.waiting = null;
    }
  }

  private void doCloseSession(PusherSession session) {
    for (Listener l : session.listens.values()) {
      removeListener(l);
      if (l.waiting != null) {
        l.waiting.forEach(w -> w.completeExceptionally(new CancellationException("session closed")));
        l.waiting = null;
      }
    }
    session.listens.clear();
  }

  private void removeListener(Listener l) {
    Entry e = l.entry;
    ArrayList<Listener> ls = e.listeners;
    int last = ls.size() - 1;
    Listener moved = ls.get(last);
    ls.set(l.slot, moved);
    moved.slot = l.slot;
    ls.remove(last);
    listenerCount--;
    if (ls.isEmpty()) {
      release(e);
    }
  }

  private void release(Entry e) {
    e.released = true;
    entries.remove(e.key, e);
    if (e.view != null) {
      index.remove(e.key.namespace(), e.key.path(), e);
    } else {
      loading--;
    }
    publishCounts();
  }

  // ================= loading (loader thread, then feed thread) =================

  private void startLoad(Entry e) {
    ViewKey key = e.key;
    try {
      loaderExecutor.execute(() -> {
        Snapshot s;
        try {
          s = loader.load(key.namespace(), key.path());
        } catch (RuntimeException ex) {
          feed.execute(() -> loadFailed(e, ex));
          return;
        }
        if (!feed.execute(() -> loaded(e, s))) {
          loader.release(s);
        }
      });
    } catch (RuntimeException ex) { // rejected: shutting down
      loadFailed(e, ex);
    }
  }

  private void loaded(Entry e, Snapshot s) {
    if (e.released || stopped) {
      loader.release(s);
      if (!e.released) {
        loadFailed(e, stopCause);
      }
      return;
    }
    if (feed.position(s.partition()) >= s.endOffset()) {
      finishLoad(e, s);
    } else {
      pendingLoads.add(new PendingLoad(e, s, System.nanoTime() + LOAD_TIMEOUT_NANOS));
    }
  }

  /** Called after each round of the feed loop: finishes the loads whose end offset the feed has reached. */
  void afterRound() {
    if (pendingLoads.isEmpty()) {
      return;
    }
    long now = System.nanoTime();
    for (Iterator<PendingLoad> it = pendingLoads.iterator(); it.hasNext(); ) {
      PendingLoad p = it.next();
      if (p.entry.released) {
        it.remove();
        loader.release(p.snapshot);
      } else if (feed.position(p.snapshot.partition()) >= p.snapshot.endOffset()) {
        it.remove();
        finishLoad(p.entry, p.snapshot);
      } else if (now - p.deadlineNanos > 0) {
        it.remove();
        loader.release(p.snapshot);
        loadFailed(p.entry, unavailable("The database is temporarily unavailable (change feed lag)"));
      }
    }
  }

  private void finishLoad(Entry e, Snapshot s) {
    Node node;
    try {
      node = feed.replay(s.partition(), e.key.namespace(), e.key.path(), s.node(), s.writesOffset());
    } finally {
      loader.release(s);
    }
    e.view = View.create(e.key, node);
    loading--;
    index.add(e.key.namespace(), e.key.path(), e);
    viewLoads++;
    publishCounts();
    DataPush snapshot = snapshotOf(e);
    long size = e.snapshotBytes;
    List<CompletableFuture<Void>> done = new ArrayList<>();
    for (Listener l : e.listeners) {
      deliver(l.session, tagged(snapshot, l.tag), size);
      if (l.waiting != null) {
        done.addAll(l.waiting);
        l.waiting = null;
      }
    }
    flushDeliveries();
    done.forEach(f -> f.complete(null));
  }

  private void loadFailed(Entry e, Throwable cause) {
    loadFailures++;
    LOG.warn("loading view {} failed: {}", e.key, cause == null ? "stopped" : cause.toString());
    Throwable failure = cause instanceof CanopyException ? cause
        : unavailable("The database is temporarily unavailable", cause);
    for (Listener l : new ArrayList<>(e.listeners)) {
      l.session.listens.remove(e.key, l);
      if (l.waiting != null) {
        l.waiting.forEach(w -> w.completeExceptionally(failure));
        l.waiting = null;
      }
    }
    listenerCount -= e.listeners.size();
    e.listeners.clear();
    if (!e.released) {
      release(e);
    }
  }

  // ================= changes (feed thread) =================

  /** Pushes one change to every affected listener, in log order; returns once all pushes are queued. */
  void onChange(ChangeRecord change) {
    if (!change.accepted() || change.overwrites().isEmpty() || entries.isEmpty()) {
      return;
    }
    long stamp = ++changeStamp;
    String ns = change.namespace();
    affected.clear();
    collector.stamp = stamp;
    for (Overwrite o : change.overwrites()) {
      collector.overwrite = o;
      index.forEachOverlapping(ns, o.path(), collector);
    }
    for (int i = 0, n = affected.size(); i < n; i++) {
      Entry e = affected.get(i);
      List<DataPush> pushes = e.view.apply(e.batch);
      e.batch.clear();
      if (pushes.isEmpty()) {
        continue; // the value did not change: the cached snapshot stays valid
      }
      e.snapshot = null;
      int k = pushes.size();
      long[] sizes = new long[k];
      for (int j = 0; j < k; j++) {
        sizes[j] = SizeEstimator.estimate(pushes.get(j), maxPushBytes);
      }
      ArrayList<Listener> ls = e.listeners;
      for (int li = 0, ln = ls.size(); li < ln; li++) {
        Listener l = ls.get(li);
        for (int j = 0; j < k; j++) {
          deliver(l.session, tagged(pushes.get(j), l.tag), sizes[j]);
        }
      }
    }
    boolean pushed = !affected.isEmpty();
    affected.clear();
    changesApplied++;
    flushDeliveries();
    if (pushed) {
      changeToPush.record(System.currentTimeMillis() - change.timestamp());
    }
  }

  /** Change → push latency (any thread). */
  Histogram.Snapshot changeToPush() {
    return changeToPush.snapshot();
  }

  /** Collects the entries a change touches, once each, with the overwrites that touch them in log order. */
  private final class Collector implements Consumer<Entry> {
    long stamp;
    Overwrite overwrite;

    @Override
    public void accept(Entry e) {
      if (e.stamp != stamp) {
        e.stamp = stamp;
        e.batch.clear();
        affected.add(e);
      }
      e.batch.add(overwrite);
    }
  }

  // ================= delivery (feed thread) =================

  /** Queues a push (without waking the outbox: {@link #flushDeliveries} drains every touched outbox at once). */
  private void deliver(PusherSession s, DataPush push, long size) {
    if (s.deliveryRound != deliveryRound) {
      s.deliveryRound = deliveryRound;
      touched.add(s.outbox);
    }
    if (s.resyncPending) {
      return; // its queued data is about to be replaced by snapshots anyway
    }
    if (!s.outbox.offer(push, size, false)) {
      s.resyncPending = true;
      resyncQueue.add(s);
    }
  }

  /** Ends a round of deliveries: resyncs the sessions that overflowed, then has every touched outbox drained. */
  private void flushDeliveries() {
    flushResyncs();
    scheduler.drain(touched);
    touched.clear();
    deliveryRound++;
  }

  /** Replaces the queued data of every overflowed session by fresh snapshots of its views. */
  private void flushResyncs() {
    if (resyncQueue.isEmpty()) {
      return;
    }
    for (PusherSession s : resyncQueue) {
      List<DataPush> snapshots = new ArrayList<>(s.listens.size());
      long[] sizes = new long[s.listens.size()];
      for (Listener l : s.listens.values()) {
        if (l.entry.view != null) {
          snapshots.add(tagged(snapshotOf(l.entry), l.tag));
          sizes[snapshots.size() - 1] = l.entry.snapshotBytes;
        }
      }
      sizes = java.util.Arrays.copyOf(sizes, snapshots.size());
      s.outbox.resync(snapshots, sizes);
      s.resyncPending = false;
    }
    resyncQueue.clear();
  }

  /** The entry's current value as an untagged push (cached until the value changes). */
  private DataPush snapshotOf(Entry e) {
    if (e.snapshot == null) {
      e.snapshot = e.view.snapshot();
      e.snapshotBytes = SizeEstimator.estimate(e.snapshot, maxPushBytes);
    }
    return e.snapshot;
  }

  private static DataPush tagged(DataPush push, Long tag) {
    return Objects.equals(push.tag(), tag) ? push
        : new DataPush(push.namespace(), push.path(), push.data(), push.mergeChildren(), tag);
  }

  // ================= lifecycle & stats =================

  /** The feed stopped (feed thread): fail every listen still waiting; later listens fail at once. */
  void onStopped(Throwable failure) {
    stopped = true;
    stopCause = failure;
    Throwable cause = unavailable(failure == null ? "the pusher is shutting down" : "the change feed failed",
        failure);
    for (PendingLoad p : pendingLoads) {
      loader.release(p.snapshot);
    }
    pendingLoads.clear();
    for (Entry e : new ArrayList<>(entries.values())) {
      if (e.view == null) {
        for (Listener l : e.listeners) {
          if (l.waiting != null) {
            l.waiting.forEach(w -> w.completeExceptionally(cause));
            l.waiting = null;
          }
        }
      }
    }
  }

  private void publishCounts() {
    viewCount = entries.size() - loading;
    loadingCount = loading;
  }

  int views() {
    return viewCount;
  }

  int loadingViews() {
    return loadingCount;
  }

  int listeners() {
    return listenerCount;
  }

  long viewLoads() {
    return viewLoads;
  }

  long viewsDerived() {
    return viewsDerived;
  }

  long loadFailures() {
    return loadFailures;
  }

  long changesApplied() {
    return changesApplied;
  }

  private static CanopyException unavailable(String message) {
    return new CanopyException(ErrorCode.UNAVAILABLE, message);
  }

  private static CanopyException unavailable(String message, Throwable cause) {
    return cause == null ? unavailable(message) : new CanopyException(ErrorCode.UNAVAILABLE, message, cause);
  }
}
