package io.canopy.sdk.internal.sync;

import com.fasterxml.jackson.databind.JsonNode;
import io.canopy.core.hash.NodeHash;
import io.canopy.core.ops.ServerValues;
import io.canopy.core.path.Path;
import io.canopy.core.query.ChildChange;
import io.canopy.core.query.QueryEngine;
import io.canopy.core.query.QuerySpec;
import io.canopy.core.query.QueryView;
import io.canopy.core.tree.LeafNode;
import io.canopy.core.tree.Node;
import io.canopy.sdk.CanopyException;
import io.canopy.sdk.DisconnectedException;
import io.canopy.sdk.PermissionDeniedException;
import io.canopy.sdk.internal.connection.PersistentConnection;
import io.canopy.sdk.internal.connection.Wire;
import io.canopy.sdk.internal.events.EventLoop;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client's state and logic (Firebase's Repo and SyncTree in one): the views with their caches and listeners, the
 * pending writes, transactions, {@code .info}, and the events all of that produces. Every public method may be called
 * from any thread: it hops onto the {@link EventLoop}, where all state lives and every callback runs. Within one step
 * the state is updated first and the events are raised last, in the order they were computed; futures complete after
 * the events of the same step.
 */
public final class Repo implements PersistentConnection.Delegate {
  private static final Logger LOG = LoggerFactory.getLogger(Repo.class);
  /** Firebase's limit on transaction attempts. */
  public static final int MAX_TRANSACTION_ATTEMPTS = 25;

  private record ViewKey(Path path, QuerySpec spec, boolean info) {}

  private final EventLoop loop;
  private final PersistentConnection connection;
  private final WriteTree writes = new WriteTree();
  private final Map<ViewKey, View> views = new LinkedHashMap<>();
  private final Map<Long, View> viewsByTag = new HashMap<>();
  /** How many default views listen at each path (they share one wire listen). */
  private final Map<Path, Integer> defaultListens = new HashMap<>();
  private final Map<Long, CompletableFuture<Void>> writeFutures = new HashMap<>();
  private final List<Runnable> events = new ArrayList<>();
  private long nextWriteId;
  private long nextTag = 1;
  private Node info = Node.empty();
  private volatile long serverTimeOffset;
  private volatile boolean connected;
  private volatile boolean closed;

  public Repo(EventLoop loop, PersistentConnection connection) {
    this.loop = loop;
    this.connection = connection;
    connection.setDelegate(this);
    info = info.withChild("connected", LeafNode.of(false)).withChild("serverTimeOffset", LeafNode.of(0));
  }

  public EventLoop loop() {
    return loop;
  }

  /** Starts connecting. */
  public void start() {
    loop.execute(connection::start);
  }

  /** Server clock minus local clock, in ms (from the last handshake). */
  public long serverTimeOffset() {
    return serverTimeOffset;
  }

  /** The estimated server time in epoch ms. */
  public long serverTime() {
    return System.currentTimeMillis() + serverTimeOffset;
  }

  public boolean isConnected() {
    return connected;
  }

  // ---- lifecycle ----

  public void goOffline() {
    loop.execute(connection::interrupt);
  }

  public void goOnline() {
    loop.execute(connection::resume);
  }

  /** Cuts the socket as a network failure would; the client reconnects (tests and diagnostics). */
  public void dropConnection() {
    loop.execute(connection::dropConnection);
  }

  /**
   * Closes the connection, fails every pending operation with {@code CLIENT_CLOSED} and stops the event thread.
   * Blocks until done unless called on the event thread.
   */
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    CompletableFuture<Void> done = new CompletableFuture<>();
    loop.execute(() -> {
      try {
        connection.close();
        connected = false;
        CanopyException error = new CanopyException(CanopyException.Code.CLIENT_CLOSED, "The client was closed");
        for (CompletableFuture<Void> f : new ArrayList<>(writeFutures.values())) {
          f.completeExceptionally(error);
        }
        writeFutures.clear();
        for (View v : views.values()) {
          v.listeners.forEach(ListenerHandle::deactivate);
        }
        views.clear();
        viewsByTag.clear();
        for (TransactionState tx : new ArrayList<>(transactions)) {
          tx.future.completeExceptionally(error);
        }
        transactions.clear();
        waiting.clear();
      } finally {
        done.complete(null);
        loop.shutdown();
      }
    });
    if (!loop.inLoop()) {
      try {
        done.join();
        loop.awaitTermination(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new CanopyException(CanopyException.Code.CLIENT_CLOSED, "The client is closed");
    }
  }

  // ---- listeners ----

  /**
   * Registers a listener on (path, query); {@code info} for paths below {@code /.info}. The listener gets the initial
   * events as soon as the data is known, then every change.
   */
  public ListenerHandle addListener(Path path, QuerySpec spec, boolean isInfo, EventSink sink, boolean value,
      boolean child) {
    checkOpen();
    ListenerHandle h = new ListenerHandle(this, sink, value, child);
    loop.execute(() -> {
      if (!h.active()) {
        return;
      }
      View v = view(path, spec, isInfo);
      h.view = v;
      v.listeners.add(h);
      if (v.events != null) {
        raiseInitial(v, h);
      }
      refresh(v);
      flushEvents();
    });
    return h;
  }

  void removeListener(ListenerHandle h) {
    loop.execute(() -> {
      View v = h.view;
      if (v == null) {
        return;
      }
      v.listeners.remove(h);
      if (v.listeners.isEmpty()) {
        dropView(v);
      }
    });
  }

  private View view(Path path, QuerySpec spec, boolean isInfo) {
    ViewKey key = new ViewKey(path, spec, isInfo);
    View v = views.get(key);
    if (v != null) {
      return v;
    }
    if (isInfo) {
      v = new View(path, spec, true, null);
      views.put(key, v);
      return v;
    }
    if (spec.isDefault()) {
      v = new View(path, spec, false, null);
      // Start from what another complete default view at or above already holds.
      View source = completeDefaultViewContaining(path);
      if (source != null) {
        // it receives every push this view would: its data is complete and stays current
        v.serverNode = source.serverNode.get(source.path.relativize(path));
        v.serverComplete = true;
      }
      views.put(key, v);
      if (defaultListens.merge(path, 1, Integer::sum) == 1) {
        connection.listen(path, null, null, () -> hashAt(path), (status, data) -> onListenReply(path, null, status,
            data));
      }
    } else {
      long tag = nextTag++;
      View created = new View(path, spec, false, tag);
      v = created;
      views.put(key, v);
      viewsByTag.put(tag, v);
      connection.listen(path, spec, tag, () -> NodeHash.hash(created.serverNode),
          (status, data) -> onListenReply(path, created, status, data));
    }
    return v;
  }

  private String hashAt(Path path) {
    for (View v : views.values()) {
      if (!v.info && !v.tagged() && v.path.equals(path) && v.serverComplete) {
        return NodeHash.hash(v.serverNode);
      }
    }
    return "";
  }

  private void dropView(View v) {
    views.remove(new ViewKey(v.path, v.spec, v.info));
    if (v.info) {
      return;
    }
    if (v.tagged()) {
      viewsByTag.remove(v.tag);
      connection.unlisten(v.path, v.spec, v.tag);
    } else if (defaultListens.merge(v.path, -1, Integer::sum) <= 0) {
      defaultListens.remove(v.path);
      connection.unlisten(v.path, null, null);
    }
  }

  private void onListenReply(Path path, View tagged, String status, JsonNode data) {
    List<View> affected = new ArrayList<>();
    if (tagged != null) {
      if (viewsByTag.get(tagged.tag) == tagged) {
        affected.add(tagged);
      }
    } else {
      for (View v : views.values()) {
        if (!v.info && !v.tagged() && v.path.equals(path)) {
          affected.add(v);
        }
      }
    }
    if ("ok".equals(status)) {
      for (View v : affected) {
        v.serverComplete = true;
        refresh(v);
      }
      flushEvents();
      startWaitingTransactions();
    } else {
      CanopyException error = CanopyException.fromStatus(status, Wire.text(data) + " (listen at " + path + ")");
      for (View v : affected) {
        cancelView(v, error);
      }
    }
    flushEvents();
  }

  private void cancelView(View v, CanopyException error) {
    views.remove(new ViewKey(v.path, v.spec, v.info));
    if (v.tagged()) {
      viewsByTag.remove(v.tag);
    } else {
      defaultListens.remove(v.path);
    }
    for (ListenerHandle h : v.listeners) {
      events.add(() -> {
        if (h.active()) {
          h.deactivate();
          h.sink.onCancelled(error);
        }
      });
    }
    v.listeners.clear();
  }

  // ---- events ----

  /**
   * Recomputes what the view shows and queues the events of the difference. Child events flow from the start (local
   * writes show before the server's data arrived, as in Firebase); value events wait until the view is complete: the
   * server's data arrived, or a pending write replaces the whole location.
   */
  private void refresh(View v) {
    Node visible = v.info ? info.get(v.path) : writes.apply(v.path, v.serverNode);
    if (v.events == null) {
      v.events = new QueryView(v.spec, Node.empty());
    }
    List<ChildChange> changes = v.events.node() == visible ? List.of() : v.events.update(visible);
    for (ChildChange c : changes) {
      for (ListenerHandle h : v.listeners) {
        if (h.child) {
          events.add(() -> {
            if (h.active()) {
              h.sink.onChildChange(c);
            }
          });
        }
      }
    }
    Node result = v.events.result();
    if (!v.initialized) {
      if (!(v.info || v.serverComplete || writes.covers(v.path))) {
        return;
      }
      v.initialized = true;
    } else if (result == v.lastResult || result.equals(v.lastResult)) {
      return;
    }
    v.lastResult = result;
    for (ListenerHandle h : v.listeners) {
      if (h.value) {
        events.add(() -> {
          if (h.active()) {
            h.sink.onValue(result);
          }
        });
      }
    }
  }

  /** The events that bring a listener added to an existing view up to date. */
  private void raiseInitial(View v, ListenerHandle h) {
    if (h.child && v.events != null) {
      for (ChildChange c : v.events.initialChanges()) {
        events.add(() -> {
          if (h.active()) {
            h.sink.onChildChange(c);
          }
        });
      }
    }
    if (h.value && v.initialized) {
      Node result = v.lastResult;
      events.add(() -> {
        if (h.active()) {
          h.sink.onValue(result);
        }
      });
    }
  }

  private void refreshOverlapping(Path path) {
    for (View v : views.values()) {
      if (!v.info && v.path.overlaps(path)) {
        refresh(v);
      }
    }
  }

  private void refreshOverlapping(PendingWrite w) {
    for (View v : views.values()) {
      if (!v.info && w.overlaps(v.path)) {
        refresh(v);
      }
    }
  }

  /** Runs the queued events; a listener that throws is logged and the others still run. */
  private void flushEvents() {
    while (!events.isEmpty()) {
      List<Runnable> batch = new ArrayList<>(events);
      events.clear();
      for (Runnable r : batch) {
        try {
          r.run();
        } catch (RuntimeException e) {
          LOG.error("A listener threw; the other listeners still get their events", e);
        }
      }
    }
  }

  // ---- server data ----

  @Override
  public void onOverwrite(Path path, Node data, Long tag) {
    Set<View> affected = new LinkedHashSet<>();
    applyServer(path, data, tag, affected);
    affected.forEach(this::refresh);
    flushEvents();
    startWaitingTransactions();
  }

  @Override
  public void onMerge(Path path, Map<Path, Node> changes, Long tag) {
    Set<View> affected = new LinkedHashSet<>();
    for (Map.Entry<Path, Node> e : changes.entrySet()) {
      applyServer(path.child(e.getKey()), e.getValue(), tag, affected);
    }
    affected.forEach(this::refresh);
    flushEvents();
  }

  private void applyServer(Path path, Node data, Long tag, Set<View> affected) {
    if (tag != null) {
      View v = viewsByTag.get(tag);
      if (v != null) {
        applyToView(v, path, data);
        affected.add(v);
      }
      return;
    }
    for (View v : views.values()) {
      if (!v.info && !v.tagged() && v.path.overlaps(path)) {
        applyToView(v, path, data);
        affected.add(v);
      }
    }
  }

  private static void applyToView(View v, Path path, Node data) {
    if (v.path.contains(path)) {
      Path rel = v.path.relativize(path);
      v.serverNode = v.serverNode.set(rel, data);
      if (rel.isRoot()) {
        v.serverComplete = true;
      }
    } else if (path.contains(v.path)) {
      v.serverNode = data.get(path.relativize(v.path));
      v.serverComplete = true;
    }
  }

  @Override
  public void onListenRevoked(Path path, QuerySpec query) {
    CanopyException error = new PermissionDeniedException("permission_denied: the listen at " + path
        + " was revoked");
    for (View v : new ArrayList<>(views.values())) {
      if (!v.info && v.path.equals(path) && (query == null ? !v.tagged() : v.spec.equals(query))) {
        cancelView(v, error);
      }
    }
    flushEvents();
  }

  @Override
  public void onConnect(long offset) {
    serverTimeOffset = offset;
    connected = true;
    setInfo("serverTimeOffset", LeafNode.of(offset));
    setInfo("connected", LeafNode.of(true));
    flushEvents();
  }

  @Override
  public void onDisconnect() {
    connected = false;
    setInfo("connected", LeafNode.of(false));
    flushEvents();
    startWaitingTransactions();
  }

  @Override
  public void onAuthFailed(String status, String message) {
    setInfo("authenticated", LeafNode.of(false));
    flushEvents();
  }

  @Override
  public void onKilled(String reason) {
    connected = false;
    setInfo("connected", LeafNode.of(false));
    flushEvents();
  }

  private void setInfo(String key, Node value) {
    Node before = info;
    info = info.withChild(key, value);
    if (info != before) {
      for (View v : views.values()) {
        if (v.info && (v.path.isRoot() || key.equals(v.path.front()))) {
          refresh(v);
        }
      }
    }
  }

  // ---- reads ----

  private View completeDefaultViewContaining(Path path) {
    View best = null;
    for (View v : views.values()) {
      if (!v.info && !v.tagged() && v.serverComplete && v.path.contains(path)
          && (best == null || v.path.size() > best.path.size())) {
        best = v;
      }
    }
    return best;
  }

  /** The server's data at {@code path} as far as the cache knows it (empty if not cached). */
  private Node serverAt(Path path) {
    View v = completeDefaultViewContaining(path);
    return v == null ? Node.empty() : v.serverNode.get(v.path.relativize(path));
  }

  /** What listeners see at {@code path}: the cached server data plus the pending writes. */
  private Node visibleAt(Path path) {
    return writes.apply(path, serverAt(path));
  }

  /** The cached result of (path, query), or null if the cache does not hold it completely. */
  private Node cached(Path path, QuerySpec spec) {
    View exact = views.get(new ViewKey(path, spec, false));
    if (exact != null && exact.initialized) {
      return exact.events.result();
    }
    View v = completeDefaultViewContaining(path);
    if (v != null) {
      return QueryEngine.apply(spec, writes.apply(path, v.serverNode.get(v.path.relativize(path))));
    }
    if (writes.covers(path)) {
      return QueryEngine.apply(spec, writes.apply(path, Node.empty()));
    }
    return null;
  }

  /**
   * Reads (path, query) from the server (with this client's pending writes applied); when offline, or when the read
   * fails for lack of a connection, from the cache; with neither, fails with {@link DisconnectedException}.
   */
  public CompletableFuture<Node> get(Path path, QuerySpec spec, boolean isInfo) {
    checkOpen();
    CompletableFuture<Node> result = new CompletableFuture<>();
    loop.execute(() -> {
      if (isInfo) {
        result.complete(QueryEngine.apply(spec, info.get(path)));
        return;
      }
      if (!connection.isConnected()) {
        Node c = cached(path, spec);
        if (c != null) {
          result.complete(c);
          return;
        }
      }
      connection.get(path, spec.isDefault() ? null : spec, (status, data) -> {
        if ("ok".equals(status)) {
          Node server = Wire.node(data);
          result.complete(writes.isEmpty() ? server : QueryEngine.apply(spec, writes.apply(path, server)));
          return;
        }
        CanopyException error = CanopyException.fromStatus(status, Wire.text(data));
        if (error instanceof DisconnectedException) {
          Node c = cached(path, spec);
          if (c != null) {
            result.complete(c);
            return;
          }
          error = new DisconnectedException("The client is offline and " + path + " is not cached");
        }
        result.completeExceptionally(error);
      });
    });
    return result;
  }

  // ---- writes ----

  /** Sets {@code data} (raw: it may hold server values) at {@code path}, optimistically. */
  public CompletableFuture<Void> set(Path path, Node data) {
    checkOpen();
    CompletableFuture<Void> future = new CompletableFuture<>();
    loop.execute(() -> {
      Node shown = resolveLocally(path, data);
      PendingWrite w = addWrite(new PendingWrite(nextWriteId++, path, shown, null), future);
      connection.put("p", path, data, null, (status, reply) -> onWriteReply(w, status, reply));
    });
    return future;
  }

  /** Applies a multi-location update (relative paths to raw values) at {@code path}, optimistically. */
  public CompletableFuture<Void> update(Path path, Map<Path, Node> changes) {
    checkOpen();
    CompletableFuture<Void> future = new CompletableFuture<>();
    if (changes.isEmpty()) {
      future.complete(null);
      return future;
    }
    loop.execute(() -> {
      Map<Path, Node> shown = new LinkedHashMap<>();
      Map<String, Node> wire = new LinkedHashMap<>();
      for (Map.Entry<Path, Node> e : changes.entrySet()) {
        Path abs = path.child(e.getKey());
        shown.put(e.getKey(), resolveLocally(abs, e.getValue()));
        wire.put(e.getKey().toRelativeString(), e.getValue());
      }
      PendingWrite w = addWrite(new PendingWrite(nextWriteId++, path, null, shown), future);
      connection.put("m", path, wire, null, (status, reply) -> onWriteReply(w, status, reply));
    });
    return future;
  }

  private PendingWrite addWrite(PendingWrite w, CompletableFuture<Void> future) {
    writes.add(w);
    if (future != null) {
      writeFutures.put(w.id(), future);
    }
    refreshOverlapping(w);
    flushEvents();
    return w;
  }

  private void onWriteReply(PendingWrite w, String status, JsonNode reply) {
    CompletableFuture<Void> future = writeFutures.remove(w.id());
    removeWrite(w);
    if (future == null) {
      return;
    }
    if ("ok".equals(status)) {
      future.complete(null);
    } else {
      if (!"disconnected".equals(status)) {
        LOG.warn("The server refused the write at {}: {} {}", w.path(), status, Wire.text(reply));
      }
      future.completeExceptionally(CanopyException.fromStatus(status, Wire.text(reply) + " (write at " + w.path()
          + ")"));
    }
  }

  /** Drops a pending write (acknowledged: the server data already holds it; refused: it reverts) and refreshes. */
  private void removeWrite(PendingWrite w) {
    if (writes.remove(w.id()) != null) {
      refreshOverlapping(w);
      flushEvents();
    }
  }

  /** Server values replaced by local estimates, for display until the server's echo arrives. */
  private Node resolveLocally(Path path, Node data) {
    if (!ServerValues.containsServerValues(data)) {
      return data;
    }
    Path base = path.isPriorityPath() ? path.parent() : path;
    return ServerValues.resolve(data, serverTime(), rel -> visibleAt(base.child(rel)));
  }

  /** Queues an on-disconnect operation: {@code o} set, {@code om} merge or {@code oc} cancel. */
  public CompletableFuture<Void> onDisconnect(String action, Path path, Object data) {
    checkOpen();
    CompletableFuture<Void> future = new CompletableFuture<>();
    loop.execute(() -> connection.onDisconnect(action, path, data, (status, reply) -> {
      if ("ok".equals(status)) {
        future.complete(null);
      } else {
        future.completeExceptionally(CanopyException.fromStatus(status, Wire.text(reply)));
      }
    }));
    return future;
  }

  // ---- transactions ----

  /** The outcome of a transaction: whether it committed and the value at its location afterwards. */
  public record TransactionOutcome(boolean committed, Node value) {}

  private final List<TransactionState> transactions = new ArrayList<>();
  private final List<TransactionState> waiting = new ArrayList<>();

  private final class TransactionState {
    final Path path;
    final Function<Node, Node> update;
    final CompletableFuture<TransactionOutcome> future = new CompletableFuture<>();
    ListenerHandle keepSynced;
    PendingWrite write;
    int attempts;

    TransactionState(Path path, Function<Node, Node> update) {
      this.path = path;
      this.update = update;
    }
  }

  /**
   * Runs a transaction: {@code update} gets the current value (cache plus pending writes) and returns the new value
   * (raw; server values allowed) or null to abort. It is sent as a compare-and-set against the hash of the value it
   * was computed from, and rerun on the fresh data when the server answers {@code datastale}, up to
   * {@value #MAX_TRANSACTION_ATTEMPTS} times. The location is listened to while the transaction runs.
   */
  public CompletableFuture<TransactionOutcome> transaction(Path path, Function<Node, Node> update) {
    checkOpen();
    TransactionState tx = new TransactionState(path, update);
    loop.execute(() -> {
      transactions.add(tx);
      tx.keepSynced = new ListenerHandle(this, new EventSink() {}, false, false);
      View v = view(path, QuerySpec.DEFAULT, false);
      tx.keepSynced.view = v;
      v.listeners.add(tx.keepSynced);
      refresh(v);
      flushEvents();
      if (v.serverComplete || !connection.isConnected()) {
        attempt(tx);
      } else {
        waiting.add(tx); // save a round trip: the first attempt starts from the server's data
      }
    });
    return tx.future;
  }

  /** Starts the transactions whose data arrived (or that must run on the cache because the client is offline). */
  private void startWaitingTransactions() {
    if (waiting.isEmpty()) {
      return;
    }
    for (TransactionState tx : new ArrayList<>(waiting)) {
      View v = tx.keepSynced.view;
      if (v == null || v.serverComplete || !connected) {
        waiting.remove(tx);
        attempt(tx);
      }
    }
  }

  private void attempt(TransactionState tx) {
    if (tx.future.isDone()) {
      return;
    }
    Node current = visibleAt(tx.path);
    Node next;
    try {
      next = tx.update.apply(current);
    } catch (RuntimeException e) {
      finish(tx, null, e);
      return;
    }
    if (next == null) {
      finish(tx, new TransactionOutcome(false, current), null);
      return;
    }
    tx.attempts++;
    PendingWrite w = new PendingWrite(nextWriteId++, tx.path, resolveLocally(tx.path, next), null);
    tx.write = w;
    addWrite(w, null);
    connection.put("p", tx.path, next, NodeHash.hash(current), (status, reply) -> {
      removeWrite(w);
      tx.write = null;
      if ("ok".equals(status)) {
        finish(tx, new TransactionOutcome(true, visibleAt(tx.path)), null);
      } else if ("datastale".equals(status)) {
        if (tx.attempts >= MAX_TRANSACTION_ATTEMPTS) {
          finish(tx, null, new CanopyException(CanopyException.Code.MAX_RETRIES,
              "maxretry: the transaction at " + tx.path + " gave up after " + tx.attempts + " attempts"));
        } else {
          attempt(tx);
        }
      } else {
        finish(tx, null, CanopyException.fromStatus(status, Wire.text(reply) + " (transaction at " + tx.path
            + ")"));
      }
    });
  }

  private void finish(TransactionState tx, TransactionOutcome outcome, Throwable error) {
    transactions.remove(tx);
    waiting.remove(tx);
    if (tx.write != null) {
      removeWrite(tx.write);
      tx.write = null;
    }
    View v = tx.keepSynced.view;
    tx.keepSynced.deactivate();
    if (v != null) {
      v.listeners.remove(tx.keepSynced);
      if (v.listeners.isEmpty()) {
        dropView(v);
      }
    }
    flushEvents();
    if (error != null) {
      tx.future.completeExceptionally(error);
    } else {
      tx.future.complete(outcome);
    }
  }

  // ---- diagnostics for tests ----

  /** The number of pending (unacknowledged) writes; event thread only. */
  int pendingWrites() {
    return writes.size();
  }
}
