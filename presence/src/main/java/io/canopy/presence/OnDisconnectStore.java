package io.canopy.presence;

import io.canopy.core.path.Path;
import io.canopy.core.rules.Caller;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Every connection's onDisconnect writes ({@code o}, {@code om}), kept where a surviving gateway can find them if
 * the connection's gateway dies.
 *
 * <p><b>Order.</b> A connection's queue is ordered as its writes were added; {@link #cancel} and
 * {@link #setCaller} rewrite it in place. The owner (the connection's gateway) is the only one that changes a
 * queue, and it issues one connection's changes one after another, each once the previous one completed.
 *
 * <p><b>Exactly once.</b> A queue leaves the store once, either to its owner by {@link #drain} (a clean close) or
 * to a survivor by {@link #claimOrphans} (the owner's lease expired): both are atomic take-and-delete operations,
 * so whichever comes first gets the writes and the other gets nothing. {@code claimOrphans} also fences the dead
 * gateway: until it {@link NodeLiveness#rejoin rejoins}, its {@code add}, {@code cancel} and {@code setCaller}
 * fail with {@link FencedException} and its lease cannot be renewed, so a gateway that was only slow (a long GC
 * pause, a partition) cannot queue writes that would run a second time.
 *
 * <p>Futures complete on the implementation's threads; none of the methods blocks.
 */
public interface OnDisconnectStore {

  /** Appends {@code write} to the connection's queue. Fails with {@link FencedException} if its gateway is fenced. */
  CompletableFuture<Void> add(ConnectionRef connection, QueuedWrite write);

  /**
   * Removes what is queued at {@code at} and below, with {@link QueuedWrites#cancel}'s semantics (a write above
   * the path keeps its effect outside it). Fails with {@link FencedException} if the gateway is fenced.
   */
  CompletableFuture<Void> cancel(ConnectionRef connection, Path at);

  /**
   * Judges every queued write of the connection as {@code caller} from now on (the connection authenticated
   * again), as a clean close would. Fails with {@link FencedException} if the gateway is fenced.
   */
  CompletableFuture<Void> setCaller(ConnectionRef connection, Caller caller);

  /** Takes the connection's queue (in order) and deletes it; empty if there is none or it was claimed. */
  CompletableFuture<List<QueuedWrite>> drain(ConnectionRef connection);

  /**
   * If {@code deadGatewayId} holds no lease, atomically takes every queue it left, deletes them, fences it and
   * forgets the gateway (it no longer shows in {@link NodeLiveness#deadGateways}); the caller then owns the
   * writes and must produce them. Of any number of concurrent callers on any number of gateways exactly one gets
   * the queues; the others (and later calls) get an empty list. Empty, and nothing changes, while the gateway
   * holds a lease.
   *
   * @param claimant the calling gateway, recorded as who took them
   */
  CompletableFuture<List<OrphanQueue>> claimOrphans(String deadGatewayId, String claimant);
}
