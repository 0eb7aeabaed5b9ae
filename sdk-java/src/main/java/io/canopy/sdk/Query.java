package io.canopy.sdk;

import io.canopy.core.path.Path;
import io.canopy.core.query.ChildChange;
import io.canopy.core.query.QuerySpec;
import io.canopy.core.tree.Node;
import io.canopy.sdk.internal.sync.EventSink;
import io.canopy.sdk.internal.sync.ListenerHandle;
import io.canopy.sdk.internal.value.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A location with an order, a range and a limit: which children to read or listen to, and in which order. Immutable:
 * every method returns a new query. At most one {@code orderBy*} (the default orders by priority), one start
 * ({@code startAt}/{@code startAfter}), one end ({@code endAt}/{@code endBefore}) or {@code equalTo}, and one limit.
 * Bound values are null, a String, a Number or a Boolean; with {@link #orderByKey()} they must be strings. The
 * optional {@code key} argument breaks ties between children with the same value.
 *
 * <p>The order is Firebase's, computed by the same code as the server's ({@code core}): by index value
 * (null &lt; false &lt; true &lt; numbers &lt; strings &lt; objects), then by key (integer keys first, numerically).
 * Queries with a range or limit are evaluated by the server, which keeps the window current.
 *
 * <p>Invalid arguments throw {@link InvalidDataException} at once.
 */
public class Query {
  final CanopyClient client;
  final Path path;
  final boolean info;
  private final List<Consumer<QuerySpec.Builder>> calls;
  final QuerySpec spec;

  Query(CanopyClient client, Path path, boolean info, List<Consumer<QuerySpec.Builder>> calls) {
    this.client = client;
    this.path = path;
    this.info = info;
    this.calls = calls;
    this.spec = calls.isEmpty() ? QuerySpec.DEFAULT : Paths.query(() -> {
      QuerySpec.Builder b = QuerySpec.builder();
      calls.forEach(c -> c.accept(b));
      return b.build();
    });
  }

  private Query with(Consumer<QuerySpec.Builder> call) {
    List<Consumer<QuerySpec.Builder>> next = new ArrayList<>(calls);
    next.add(call);
    return new Query(client, path, info, Collections.unmodifiableList(next));
  }

  /** The location of this query. */
  public DatabaseReference getRef() {
    return new DatabaseReference(client, path, info);
  }

  /** The client this query belongs to. */
  public CanopyClient getClient() {
    return client;
  }

  // ---- order ----

  /** Orders children by the value at the relative path {@code childPath} below each child. */
  public Query orderByChild(String childPath) {
    Objects.requireNonNull(childPath, "childPath");
    return with(b -> b.orderByChild(childPath));
  }

  /** Orders children by key. */
  public Query orderByKey() {
    return with(QuerySpec.Builder::orderByKey);
  }

  /** Orders children by their own value. */
  public Query orderByValue() {
    return with(QuerySpec.Builder::orderByValue);
  }

  /** Orders children by priority (the default). */
  public Query orderByPriority() {
    return with(QuerySpec.Builder::orderByPriority);
  }

  // ---- range ----

  /** Keeps children whose value is at least {@code value}. */
  public Query startAt(Object value) {
    return with(b -> b.startAt(value));
  }

  /** Keeps children after (value, key) or equal to it. */
  public Query startAt(Object value, String key) {
    return with(b -> b.startAt(value, key));
  }

  /** Keeps children whose value is greater than {@code value}. */
  public Query startAfter(Object value) {
    return with(b -> b.startAfter(value));
  }

  /** Keeps children after (value, key). */
  public Query startAfter(Object value, String key) {
    return with(b -> b.startAfter(value, key));
  }

  /** Keeps children whose value is at most {@code value}. */
  public Query endAt(Object value) {
    return with(b -> b.endAt(value));
  }

  /** Keeps children before (value, key) or equal to it. */
  public Query endAt(Object value, String key) {
    return with(b -> b.endAt(value, key));
  }

  /** Keeps children whose value is less than {@code value}. */
  public Query endBefore(Object value) {
    return with(b -> b.endBefore(value));
  }

  /** Keeps children before (value, key). */
  public Query endBefore(Object value, String key) {
    return with(b -> b.endBefore(value, key));
  }

  /** Keeps children whose value equals {@code value}. */
  public Query equalTo(Object value) {
    return with(b -> b.equalTo(value));
  }

  /** Keeps the child with exactly (value, key). */
  public Query equalTo(Object value, String key) {
    return with(b -> b.equalTo(value, key));
  }

  // ---- limit ----

  /** Keeps the first {@code n} children (in order, after the range). */
  public Query limitToFirst(int n) {
    return with(b -> b.limitToFirst(n));
  }

  /** Keeps the last {@code n} children (in order, after the range). */
  public Query limitToLast(int n) {
    return with(b -> b.limitToLast(n));
  }

  // ---- reading ----

  /**
   * Reads the current value from the server (this client's pending writes applied). Offline, it answers from the
   * cache of an active listener when it holds the data, else waits for a connection for the client's
   * {@code offlineGetTimeout} and then fails with {@link DisconnectedException}. Completes on the event thread.
   */
  public CompletableFuture<DataSnapshot> get() {
    DatabaseReference ref = getRef();
    return client.repo().get(path, spec, info).thenApply(node -> new DataSnapshot(ref, node, spec.index()));
  }

  /**
   * Listens to the value: {@code listener} gets the current value as soon as it is known, then every change. Remove it
   * with the returned registration.
   */
  public Registration addValueListener(ValueListener listener) {
    Objects.requireNonNull(listener, "listener");
    DatabaseReference ref = getRef();
    ListenerHandle h = client.repo().addListener(path, spec, info, new EventSink() {
      @Override
      public void onValue(Node value) {
        listener.onValue(new DataSnapshot(ref, value, spec.index()));
      }

      @Override
      public void onCancelled(CanopyException error) {
        listener.onCancelled(error);
      }
    }, true, false);
    return h::remove;
  }

  /** Listens to the children: added (the existing ones first), changed, removed and moved, in the query's order. */
  public Registration addChildListener(ChildListener listener) {
    Objects.requireNonNull(listener, "listener");
    DatabaseReference ref = getRef();
    ListenerHandle h = client.repo().addListener(path, spec, info, new EventSink() {
      @Override
      public void onChildChange(ChildChange c) {
        DatabaseReference childRef = ref.childRef(c.key());
        switch (c.type()) {
          case ADDED -> listener.onChildAdded(new DataSnapshot(childRef, c.node(), spec.index()), c.prevKey());
          case CHANGED -> listener.onChildChanged(new DataSnapshot(childRef, c.node(), spec.index()), c.prevKey());
          case MOVED -> listener.onChildMoved(new DataSnapshot(childRef, c.node(), spec.index()), c.prevKey());
          case REMOVED -> listener.onChildRemoved(new DataSnapshot(childRef, c.oldNode(), spec.index()));
          default -> throw new IllegalStateException("unknown change " + c);
        }
      }

      @Override
      public void onCancelled(CanopyException error) {
        listener.onCancelled(error);
      }
    }, false, true);
    return h::remove;
  }

  /** The location as a path string, {@code "/"} for the root ({@code "/.info/..."} for client information). */
  String pathString() {
    return info ? "/.info" + (path.isRoot() ? "" : path.toString()) : path.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Query q && o.getClass() == getClass() && q.client == client && q.path.equals(path)
        && q.info == info && q.spec.equals(spec);
  }

  @Override
  public int hashCode() {
    return Objects.hash(path, info, spec);
  }

  @Override
  public String toString() {
    return client.url() + pathString() + (spec.isDefault() && spec.index().equals(QuerySpec.DEFAULT.index())
        ? "" : " " + spec);
  }
}
