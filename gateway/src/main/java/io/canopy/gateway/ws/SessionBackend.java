package io.canopy.gateway.ws;

import io.canopy.core.log.ChangeRecord;
import io.canopy.core.ops.WriteOp;
import io.canopy.core.path.Path;
import io.canopy.core.query.QuerySpec;
import io.canopy.core.rules.Caller;
import io.canopy.core.tree.Node;
import java.util.concurrent.CompletableFuture;

/**
 * What one connection's protocol needs from the rest of Canopy, bound to the connection's namespace: the pusher
 * session (listens and the ordered queue to the socket), consistent reads and the write log. The seam where tests
 * put a fake. Futures may complete on any thread; none of the methods blocks.
 */
interface SessionBackend {

  /** Starts (or replaces) a listen; completes once its initial data is queued ahead of anything sent later. */
  CompletableFuture<Void> listen(Path path, QuerySpec query, Long tag);

  void unlisten(Path path, QuerySpec query);

  /** The current value or query result, read off the event loop. */
  CompletableFuture<Node> get(Path path, QuerySpec query);

  /** Produces a write; completes with its verdict after the writer's own echo was queued (or fails: unavailable). */
  CompletableFuture<ChangeRecord> write(WriteOp op, String expectedHash);

  /**
   * Who the connection's reads and writes are judged as by the rules; changing it re-checks open listens (those no
   * longer allowed are revoked with a {@code c} push).
   */
  void setCaller(Caller caller);

  /** Runs {@code task} on the connection's event loop after {@code delayMs}; returns a handle that cancels it. */
  Runnable schedule(long delayMs, Runnable task);

  /** False if the rules declare no {@code .indexOn} for this query (null: not known yet). Never blocks. */
  Boolean indexed(Path path, QuerySpec query);

  /** Queues an item after everything queued before it, data pushes included. */
  void send(Object item);

  /** Ends the pusher session: its listens stop, queued items are dropped. */
  void close();
}
