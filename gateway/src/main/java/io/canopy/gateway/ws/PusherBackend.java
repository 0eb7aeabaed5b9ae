package io.canopy.gateway.ws;

import io.canopy.core.error.CanopyException;
import io.canopy.core.error.ErrorCode;
import io.canopy.core.log.ChangeRecord;
import io.canopy.core.ops.WriteOp;
import io.canopy.core.path.Path;
import io.canopy.core.query.QuerySpec;
import io.canopy.core.rules.Caller;
import io.canopy.core.tree.Node;
import io.canopy.gateway.write.WriteLog;
import io.canopy.pusher.Pusher;
import io.canopy.pusher.PusherSession;
import io.vertx.core.Context;
import java.util.concurrent.CompletableFuture;

/** The production {@link SessionBackend}: a pusher session, pusher reads on worker threads, and the write log. */
final class PusherBackend implements SessionBackend {
  private final String namespace;
  private final PusherSession session;
  private final Pusher pusher;
  private final WriteLog writeLog;
  private final Context context;

  /** @param context the connection's context, whose worker pool runs the blocking reads */
  PusherBackend(String namespace, PusherSession session, Pusher pusher, WriteLog writeLog, Context context) {
    this.namespace = namespace;
    this.session = session;
    this.pusher = pusher;
    this.writeLog = writeLog;
    this.context = context;
  }

  @Override
  public CompletableFuture<Void> listen(Path path, QuerySpec query, Long tag) {
    return session.listen(namespace, path, query, tag);
  }

  @Override
  public void unlisten(Path path, QuerySpec query) {
    session.unlisten(namespace, path, query);
  }

  @Override
  public CompletableFuture<Node> get(Path path, QuerySpec query) {
    Caller caller = session.caller();
    return context.executeBlocking(() -> {
      if (!pusher.checkRead(namespace, path, query, caller).allowed()) {
        throw new CanopyException(ErrorCode.PERMISSION_DENIED, "Permission denied");
      }
      return pusher.get(namespace, path, query);
    }, false).toCompletionStage().toCompletableFuture();
  }

  @Override
  public CompletableFuture<ChangeRecord> write(WriteOp op, String expectedHash) {
    return writeLog.write(namespace, op, expectedHash, session.caller());
  }

  @Override
  public Boolean indexed(Path path, QuerySpec query) {
    return pusher.indexed(namespace, path, query);
  }

  @Override
  public void setCaller(Caller caller) {
    session.setCaller(caller);
  }

  @Override
  public Runnable schedule(long delayMs, Runnable task) {
    long timer = context.owner().setTimer(Math.max(1, delayMs), id -> task.run());
    return () -> context.owner().cancelTimer(timer);
  }

  @Override
  public void send(Object item) {
    session.send(item);
  }

  @Override
  public void close() {
    session.close();
  }
}
