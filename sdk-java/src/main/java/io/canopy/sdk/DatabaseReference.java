package io.canopy.sdk;

import io.canopy.core.path.Path;
import io.canopy.core.query.QueryIndex;
import io.canopy.core.tree.LeafNode;
import io.canopy.core.tree.Node;
import io.canopy.sdk.internal.value.Paths;
import io.canopy.sdk.internal.value.Values;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * A location in the database: read it and listen to it (see {@link Query}), write it, navigate from it. Cheap and
 * immutable; equal references denote the same location of the same client.
 *
 * <p>Writes are optimistic: this client's listeners see the new data at once, before the server has it. The
 * returned future completes (on the event thread) when the server acknowledged the write, or fails with a
 * {@link CanopyException}: {@link PermissionDeniedException} if refused (the local change is then reverted, with
 * events), {@link InvalidDataException} for data the server rejects. While offline, writes queue in memory in order
 * and are sent after reconnecting; a write in flight when the connection drops is sent again (writes are idempotent:
 * push ids are chosen by the client).
 *
 * <p>Values are null (removes), String, Boolean, numbers (finite), {@code Map<String, ?>}, {@code List<?>}, arrays,
 * {@link ServerValue}s, or any POJO, record or enum Jackson can serialise. Invalid values and keys throw
 * {@link InvalidDataException} at once. Paths below {@code /.info} are read-only.
 */
public final class DatabaseReference extends Query {

  DatabaseReference(CanopyClient client, Path path, boolean info) {
    super(client, path, info, List.of());
  }

  /** The last key of the location, or null for the root. */
  public String key() {
    if (path.isRoot()) {
      return info ? ".info" : null;
    }
    return path.last();
  }

  /** The location at the relative path {@code path} (for example {@code "users/ada/name"}). */
  public DatabaseReference child(String path) {
    Objects.requireNonNull(path, "path");
    if (!info && this.path.isRoot()) {
      String trimmed = path.startsWith("/") ? path.substring(1) : path;
      if (trimmed.equals(".info") || trimmed.startsWith(".info/")) {
        return new DatabaseReference(client, Paths.parse(trimmed.substring(5)), true);
      }
    }
    return new DatabaseReference(client, Paths.child(this.path, path), info);
  }

  DatabaseReference childRef(String key) {
    return new DatabaseReference(client, path.child(key), info);
  }

  /** The parent location, or null for the root. */
  public DatabaseReference parent() {
    if (path.isRoot()) {
      return info ? new DatabaseReference(client, Path.ROOT, false) : null;
    }
    return new DatabaseReference(client, path.parent(), info);
  }

  /** The root of the database. */
  public DatabaseReference root() {
    return new DatabaseReference(client, Path.ROOT, false);
  }

  /**
   * A new child location with a unique, chronologically ordered push id (20 characters, generated here from the
   * estimated server time: ids from one client strictly increase). Nothing is written until you write to it.
   */
  public DatabaseReference push() {
    checkWritable();
    return new DatabaseReference(client, path.child(client.nextPushId()), false);
  }

  // ---- writes ----

  /** Replaces the value here with {@code value} (null removes it). */
  public CompletableFuture<Void> set(Object value) {
    checkWritable();
    Node node = Values.toNode(value);
    Paths.checkWrite(path, node);
    return client.repo().set(path, node);
  }

  /** Replaces the value here and sets its priority (null, a number or a string). */
  public CompletableFuture<Void> setWithPriority(Object value, Object priority) {
    checkWritable();
    Node node = Values.toNode(value).withPriority(Values.priority(priority));
    Paths.checkWrite(path, node);
    return client.repo().set(path, node);
  }

  /** Sets only the priority of the value here (nothing happens if there is no value). */
  public CompletableFuture<Void> setPriority(Object priority) {
    checkWritable();
    Object p = Values.priority(priority);
    Path target = path.child(Path.PRIORITY_KEY);
    return client.repo().set(target, p == null ? Node.empty() : LeafNode.of(p));
  }

  /** Removes the value here (same as {@code set(null)}). */
  public CompletableFuture<Void> remove() {
    return set(null);
  }

  /**
   * Writes several locations below this one atomically: each key is a relative path (which may contain {@code /}),
   * each value replaces the value there (null removes). Other children are left alone. No key may be an ancestor of
   * another.
   */
  public CompletableFuture<Void> update(Map<String, ?> changes) {
    checkWritable();
    Objects.requireNonNull(changes, "changes");
    Map<Path, Node> nodes = new LinkedHashMap<>();
    List<Path> paths = new ArrayList<>();
    for (Map.Entry<String, ?> e : changes.entrySet()) {
      Path rel = Paths.parseWrite(e.getKey());
      if (rel.isRoot()) {
        throw new InvalidDataException("update: the key \"" + e.getKey() + "\" is not a child path");
      }
      Node node = Values.toNode(e.getValue());
      Paths.checkWrite(path.child(rel), node);
      nodes.put(rel, node);
      paths.add(rel);
    }
    paths.sort(null);
    for (int i = 1; i < paths.size(); i++) {
      Path a = paths.get(i - 1);
      Path b = paths.get(i);
      Path aNode = a.isPriorityPath() ? a.parent() : a;
      if (!a.isPriorityPath() && a.contains(b) || a.isPriorityPath() && aNode.equals(b)) {
        throw new InvalidDataException("update: path " + a + " is an ancestor of " + b);
      }
    }
    return client.repo().update(path, nodes);
  }

  /**
   * Runs a transaction on the value here: {@code transaction} computes the new value from the current one and the
   * server applies it only if the value is still the one it was computed from (compare-and-set on the value's hash);
   * otherwise the function runs again on the fresh value, up to 25 times in all (then the future fails with code
   * {@link CanopyException.Code#MAX_RETRIES}). If the function aborts, the result is not committed. If the connection
   * drops while an attempt is in flight the future fails with {@link DisconnectedException} (its outcome is unknown).
   * Listeners see each attempt's value at once. The location is listened to while the transaction runs.
   */
  public CompletableFuture<TransactionResult> runTransaction(Transaction transaction) {
    checkWritable();
    Objects.requireNonNull(transaction, "transaction");
    DatabaseReference self = this;
    return client.repo().transaction(path, current -> {
      Object result = transaction.apply(new DataSnapshot(self, current, QueryIndex.PRIORITY));
      if (result == null || result == Transaction.Sentinel.ABORT) {
        return null;
      }
      if (result == Transaction.Sentinel.REMOVE) {
        return Node.empty();
      }
      Node node = Values.toNode(result);
      Paths.checkWrite(path, node);
      return node;
    }).thenApply(o -> new TransactionResult(o.committed(), new DataSnapshot(self, o.value(), QueryIndex.PRIORITY)));
  }

  /** Writes the server runs when this client's connection closes (see {@link OnDisconnect}). */
  public OnDisconnect onDisconnect() {
    checkWritable();
    return new OnDisconnect(client, path);
  }

  private void checkWritable() {
    if (info) {
      throw new InvalidDataException("/.info is read-only: " + pathString());
    }
  }

  /** The location's URL, such as {@code http://localhost:9000/users/ada?ns=demo}. */
  @Override
  public String toString() {
    return client.url() + " " + pathString();
  }
}
