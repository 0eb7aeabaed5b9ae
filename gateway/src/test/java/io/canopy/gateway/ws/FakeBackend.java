package io.canopy.gateway.ws;

import io.canopy.core.error.ErrorCode;
import io.canopy.core.log.ChangeRecord;
import io.canopy.core.log.Origin;
import io.canopy.core.ops.WriteOp;
import io.canopy.core.path.Path;
import io.canopy.core.query.QuerySpec;
import io.canopy.core.rules.Caller;
import io.canopy.core.tree.Node;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A {@link SessionBackend} that records calls and leaves every future for the test to complete. The lists are
 * synchronized for the tests that run the session on another thread.
 */
final class FakeBackend implements SessionBackend {
  record Listen(Path path, QuerySpec query, Long tag, CompletableFuture<Void> done) {}

  record Write(WriteOp op, String hash, CompletableFuture<ChangeRecord> verdict) {
    void accept() {
      verdict.complete(ChangeRecord.accepted("ns", 0, 0, 0, new Origin("gw", 1), List.of()));
    }

    void reject(ErrorCode code, String message) {
      verdict.complete(ChangeRecord.rejected("ns", 0, 0, 0, new Origin("gw", 1), code, message));
    }
  }

  record Get(Path path, QuerySpec query, CompletableFuture<Node> result) {}

  /** Everything sent, in order: replies, pongs and (simulated) pushes. */
  final List<Object> sent = Collections.synchronizedList(new ArrayList<>());
  final List<Listen> listens = Collections.synchronizedList(new ArrayList<>());
  final List<String> unlistens = Collections.synchronizedList(new ArrayList<>());
  final List<Write> writes = Collections.synchronizedList(new ArrayList<>());
  final List<Get> gets = Collections.synchronizedList(new ArrayList<>());
  final List<String> events = Collections.synchronizedList(new ArrayList<>());
  volatile boolean closed;

  @Override
  public CompletableFuture<Void> listen(Path path, QuerySpec query, Long tag) {
    Listen l = new Listen(path, query, tag, new CompletableFuture<>());
    listens.add(l);
    events.add("listen " + path);
    return l.done;
  }

  @Override
  public void unlisten(Path path, QuerySpec query) {
    unlistens.add(path + " " + query);
    events.add("unlisten " + path);
  }

  @Override
  public CompletableFuture<Node> get(Path path, QuerySpec query) {
    Get g = new Get(path, query, new CompletableFuture<>());
    gets.add(g);
    events.add("get " + path);
    return g.result;
  }

  @Override
  public CompletableFuture<ChangeRecord> write(WriteOp op, String expectedHash) {
    Write w = new Write(op, expectedHash, new CompletableFuture<>());
    writes.add(w);
    events.add("write " + op.path());
    return w.verdict;
  }

  /** The caller the session set last. */
  volatile Caller caller = Caller.ANONYMOUS;
  /** Tasks scheduled with {@link #schedule}, run by the test. */
  final List<Runnable> scheduled = Collections.synchronizedList(new ArrayList<>());

  @Override
  public Boolean indexed(Path path, QuerySpec query) {
    return true;
  }

  @Override
  public void setCaller(Caller newCaller) {
    caller = newCaller;
    events.add("caller " + newCaller);
  }

  @Override
  public Runnable schedule(long delayMs, Runnable task) {
    scheduled.add(task);
    return () -> scheduled.remove(task);
  }

  @Override
  public void send(Object item) {
    sent.add(item);
  }

  @Override
  public void close() {
    closed = true;
    events.add("close");
  }
}
