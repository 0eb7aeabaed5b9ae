package io.canopy.sdk;

import io.canopy.core.path.Path;
import io.canopy.core.tree.Node;
import io.canopy.sdk.internal.value.Paths;
import io.canopy.sdk.internal.value.Values;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Writes the server performs when this client's connection closes, cleanly or not (the presence idiom: on
 * {@code .info/connected} = true, arm {@code onDisconnect().set(false)}, then set {@code true}). Each call returns a
 * future that completes when the server has queued the operation. They belong to one connection: after a reconnect
 * they must be armed again (listen to {@code .info/connected}). Server values resolve when the write runs.
 */
public final class OnDisconnect {
  private final CanopyClient client;
  private final Path path;

  OnDisconnect(CanopyClient client, Path path) {
    this.client = client;
    this.path = path;
  }

  /** On disconnect, replace the value here with {@code value}. */
  public CompletableFuture<Void> set(Object value) {
    Node node = Values.toNode(value);
    Paths.checkWrite(path, node);
    return client.repo().onDisconnect("o", path, node);
  }

  /** On disconnect, replace the value here and set its priority. */
  public CompletableFuture<Void> setWithPriority(Object value, Object priority) {
    Node node = Values.toNode(value).withPriority(Values.priority(priority));
    Paths.checkWrite(path, node);
    return client.repo().onDisconnect("o", path, node);
  }

  /** On disconnect, write each relative path of {@code changes} (null removes). */
  public CompletableFuture<Void> update(Map<String, ?> changes) {
    Objects.requireNonNull(changes, "changes");
    Map<String, Node> wire = new LinkedHashMap<>();
    for (Map.Entry<String, ?> e : changes.entrySet()) {
      Path rel = Paths.parseWrite(e.getKey());
      Node node = Values.toNode(e.getValue());
      Paths.checkWrite(path.child(rel), node);
      wire.put(rel.toRelativeString(), node);
    }
    return client.repo().onDisconnect("om", path, wire);
  }

  /** On disconnect, remove the value here. */
  public CompletableFuture<Void> remove() {
    return client.repo().onDisconnect("o", path, Node.empty());
  }

  /** Cancels the on-disconnect writes queued at this location and below. */
  public CompletableFuture<Void> cancel() {
    return client.repo().onDisconnect("oc", path, null);
  }
}
