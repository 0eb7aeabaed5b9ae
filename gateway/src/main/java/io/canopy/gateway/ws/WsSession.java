package io.canopy.gateway.ws;

import io.canopy.core.error.CanopyException;
import io.canopy.core.error.ErrorCode;
import io.canopy.core.log.ChangeRecord;
import io.canopy.core.ops.WriteOp;
import io.canopy.core.path.Path;
import io.canopy.core.query.QuerySpec;
import io.canopy.core.rules.Caller;
import io.canopy.gateway.auth.AuthContext;
import io.canopy.gateway.auth.AuthResult;
import io.canopy.gateway.auth.TokenVerifier;
import io.canopy.gateway.cluster.ClusterAgent;
import io.canopy.gateway.health.GatewayMetrics;
import io.canopy.gateway.ws.ClientMessage.Control;
import io.canopy.gateway.ws.ClientMessage.Request;
import io.canopy.gateway.ws.ClientMessage.Unusable;
import io.canopy.gateway.ws.Outbound.Reply;
import io.canopy.gateway.ws.ReplySequencer.Slot;
import io.canopy.presence.ClusterState;
import io.canopy.presence.ConnectionRef;
import io.canopy.presence.FencedException;
import io.canopy.presence.OnDisconnectStore;
import io.canopy.presence.QueuedWrite;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The protocol state of one connection: dispatches requests in arrival order, answers them in the same order
 * (through a {@link ReplySequencer} into the session's queue, so a listen's {@code ok} follows its data and a write's
 * ack follows its echo), keeps the on-disconnect queue and runs it on {@link #close}. No Vert.x, no tree or query
 * logic: values are parsed here and everything else is the {@link SessionBackend}'s.
 *
 * <p>A get waits for the verdicts of the connection's earlier writes before it reads, so a client reads its own
 * writes. Bad input is answered with an error on its request and never ends the connection.
 *
 * <p>The on-disconnect queue lives in the cluster's {@link OnDisconnectStore} (in memory all-in-one, Redis in a
 * cluster), so that if this gateway crashes a survivor runs it. Its changes ({@code o}, {@code om}, {@code oc},
 * and a new credential) are applied one after another, and each is answered once stored. A clean close drains it
 * and produces it here; a crash ({@link ClusterAgent#halted}) leaves it to the survivor that claims it.
 *
 * <p>Threads: {@link #handle} and {@link #close} run on the connection's event loop; the backend's futures complete
 * anywhere and hop back through {@code loop}.
 */
final class WsSession {
  private static final Logger LOG = LoggerFactory.getLogger(WsSession.class);
  /** The expiry an auth reply gives a credential that never expires (admins, unsigned dev-mode tokens): 2100-01-01. */
  static final long AUTH_EXPIRES_SECONDS = 4_102_444_800L;
  /** The listen {@code ok} of a query without an index: the SDKs log a "use .indexOn" warning. */
  static final Map<String, Object> NO_INDEX = Map.of("w", List.of("no_index"));
  /** The {@code d} of a successful admin {@code auth}/{@code gauth}. */
  static final Map<String, Object> AUTH_OK;
  private static final Set<String> KNOWN_ACTIONS =
      Set.of("s", "auth", "gauth", "unauth", "appcheck", "unappeck", "q", "l", "n", "p", "m", "o", "om", "oc", "g");

  static {
    Map<String, Object> auth = new LinkedHashMap<>();
    auth.put("auth", null);
    auth.put("expires", AUTH_EXPIRES_SECONDS);
    AUTH_OK = Collections.unmodifiableMap(auth);
  }

  private final String id;
  private final SessionBackend backend;
  private final Executor loop;
  private final GatewayMetrics metrics;
  private final long listenTimeoutMs;
  private final ReplySequencer replies;
  private final TokenVerifier verifier;
  /** Who the connection is authenticated as; null = unauthenticated. The rules judge its requests by it. */
  private AuthContext auth;
  /** Cancels the timer that revokes {@link #auth} when it expires; null when there is none. */
  private Runnable expiryTimer;
  private final String namespace;
  private final OnDisconnectStore onDisconnect;
  private final ConnectionRef connection;
  /** The gateway's cluster agent; null for a session outside a gateway (tests). */
  private final ClusterAgent agent;
  /** Completes when the last change of the on-disconnect queue has been stored (or failed). */
  private CompletableFuture<Void> onDisconnectChain = CompletableFuture.completedFuture(null);
  /** Whether anything was ever queued (else closing has nothing to drain). */
  private boolean queued;
  /** Who queued writes are judged as: the connection's current credential. */
  private Caller caller = Caller.ANONYMOUS;
  /** Completes when every write taken so far has its verdict (or failed). */
  private CompletableFuture<Void> writesSettled = CompletableFuture.completedFuture(null);
  private boolean closed;

  /**
   * @param id the session id, for logs
   * @param loop runs a task on the connection's event loop
   * @param listenTimeoutMs how long a listen may take to deliver its initial data before it is answered
   *     {@code unavailable}
   * @param verifier checks the credentials of {@code auth} and {@code gauth}
   */
  WsSession(String id, SessionBackend backend, Executor loop, GatewayMetrics metrics, long listenTimeoutMs,
      TokenVerifier verifier) {
    this(id, backend, loop, metrics, listenTimeoutMs, verifier, "default", ClusterState.inMemory().onDisconnect(),
        new ConnectionRef("local", id), null);
  }

  /**
   * @param namespace the connection's namespace (recorded with its queued writes)
   * @param onDisconnect where the connection's on-disconnect queue lives
   * @param connection the connection's key there: this gateway's id and the session id
   * @param agent the gateway's cluster agent (a halted one means a crash: the queue is left behind); null = none
   */
  WsSession(String id, SessionBackend backend, Executor loop, GatewayMetrics metrics, long listenTimeoutMs,
      TokenVerifier verifier, String namespace, OnDisconnectStore onDisconnect, ConnectionRef connection,
      ClusterAgent agent) {
    this.namespace = Objects.requireNonNull(namespace, "namespace");
    this.onDisconnect = Objects.requireNonNull(onDisconnect, "onDisconnect");
    this.connection = Objects.requireNonNull(connection, "connection");
    this.agent = agent;
    this.id = id;
    this.verifier = Objects.requireNonNull(verifier, "verifier");
    this.backend = backend;
    this.loop = loop;
    this.metrics = metrics;
    this.listenTimeoutMs = listenTimeoutMs;
    this.replies = new ReplySequencer(backend::send);
  }

  /** Acts on one client message. */
  void handle(ClientMessage message) {
    if (closed) {
      return;
    }
    // Structured logs: whatever this message causes on this thread is logged with its namespace and connection.
    MDC.put("ns", namespace);
    MDC.put("conn", id);
    try {
      handleInContext(message);
    } finally {
      MDC.remove("ns");
      MDC.remove("conn");
    }
  }

  private void handleInContext(ClientMessage message) {
    if (message instanceof Request request) {
      dispatch(request);
    } else if (message instanceof Control control) {
      if (control.type().equals("p")) {
        backend.send(new Outbound.Pong());
      } else {
        LOG.debug("[{}] ignoring control message \"{}\"", id, control.type());
      }
    } else if (message instanceof Unusable bad) {
      if (bad.r() != null) {
        replies.complete(replies.reserve(bad.r()), bad.code().wire(), bad.message());
      } else {
        LOG.info("[{}] ignoring a message without a request number: {}", id, bad.message());
      }
    }
  }

  private void dispatch(Request req) {
    String action = req.action();
    metrics.webSocketRequest(KNOWN_ACTIONS.contains(action) ? action : "other");
    Slot slot = replies.reserve(req.r());
    try {
      switch (action) {
        case "s", "appcheck", "unappeck" -> ok(slot, "");
        case "unauth" -> {
          setAuth(null);
          ok(slot, "");
        }
        case "auth", "gauth" -> authenticate(req, slot);
        case "q", "l" -> listen(req, slot);
        case "n" -> {
          backend.unlisten(Path.parse(path(req)), QuerySpec.fromWire(req.query()));
          ok(slot, "");
        }
        case "p" -> write(slot, new WriteOp.Set(Path.parseWrite(path(req)), req.data()), req.hash());
        case "m" -> write(slot, new WriteOp.Merge(Path.parse(path(req)), req.update()), null);
        case "o" -> queueOnDisconnect(slot, new WriteOp.Set(Path.parseWrite(path(req)), req.data()));
        case "om" -> queueOnDisconnect(slot, new WriteOp.Merge(Path.parse(path(req)), req.update()));
        case "oc" -> {
          Path at = Path.parseWrite(path(req));
          onDisconnectStep(slot, () -> onDisconnect.cancel(connection, at));
        }
        case "g" -> get(req, slot);
        default -> replies.complete(slot, ErrorCode.INVALID_DATA.wire(), "Invalid request: unknown action \""
            + abbreviate(action) + "\"");
      }
    } catch (RuntimeException | StackOverflowError e) {
      // an Error too: a reply slot left reserved would stall every later reply of the connection
      fail(slot, e);
    }
  }

  /**
   * Verifies {@code b.cred}: on success the session takes the context and the reply carries the claims ({@code null}
   * for an admin) and the expiry in seconds; on failure the session is unauthenticated and the reply is Firebase's
   * {@code invalid_token} / {@code expired_token} with its message. The connection stays open either way.
   */
  private void authenticate(Request req, Slot slot) {
    AuthResult result = verifier.verify(req.cred());
    if (result instanceof AuthResult.Ok ok) {
      setAuth(ok.context());
      ok(slot, authReply(auth));
    } else {
      AuthResult.Failed failed = (AuthResult.Failed) result;
      setAuth(null);
      LOG.debug("[{}] {} refused: {}", id, req.action(), failed.reason());
      replies.complete(slot, failed.status().wire(), failed.message());
    }
  }

  /**
   * Takes a new credential (null: none): the rules judge later requests by it, open listens are checked again,
   * and a credential with an expiry is revoked then ({@code ac}, listens checked again as unauthenticated).
   */
  private void setAuth(AuthContext context) {
    if (expiryTimer != null) {
      expiryTimer.run();
      expiryTimer = null;
    }
    auth = context;
    caller = AuthContext.callerOf(context);
    backend.setCaller(caller);
    if (queued) {
      Caller now = caller;
      onDisconnectStep(null, () -> onDisconnect.setCaller(connection, now));
    }
    if (context != null && context.expiresAt() != null) {
      long delay = context.expiresAt().toEpochMilli() - System.currentTimeMillis();
      expiryTimer = backend.schedule(delay, () -> {
        if (auth == context && !closed) {
          expiryTimer = null;
          LOG.debug("[{}] credential of {} expired", id, context.uid());
          backend.send(new AccessPushes.AuthRevoked("expired_token", "Auth token is expired."));
          setAuth(null); // then the listens it allowed are checked again (revocations follow the ac)
        }
      });
    }
  }

  /** The {@code d} of a successful auth reply. */
  static Map<String, Object> authReply(AuthContext context) {
    if (context.admin()) {
      return AUTH_OK;
    }
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("auth", context.token());
    d.put("expires", context.expiresAt() == null ? AUTH_EXPIRES_SECONDS : context.expiresAt().getEpochSecond());
    return Collections.unmodifiableMap(d);
  }

  /** Who the connection is authenticated as; null when unauthenticated. */
  AuthContext auth() {
    return auth;
  }

  private void listen(Request req, Slot slot) {
    Path path = Path.parse(path(req));
    QuerySpec query = QuerySpec.fromWire(req.query());
    backend.listen(path, query, req.tag())
        .orTimeout(listenTimeoutMs, TimeUnit.MILLISECONDS)
        .whenComplete((done, error) -> loop.execute(() -> {
          if (error == null) {
            // an object (Java casts it); like Firebase, warn about queries the rules declare no index for
            ok(slot, Boolean.FALSE.equals(backend.indexed(path, query)) ? NO_INDEX : Outbound.EMPTY_OBJECT);
            return;
          }
          if (unwrap(error) instanceof TimeoutException) {
            backend.unlisten(path, query);
            fail(slot, new CanopyException(ErrorCode.UNAVAILABLE,
                "The database is temporarily unavailable: the listen's data did not arrive in time"));
          } else {
            fail(slot, error);
          }
        }));
  }

  private void queueOnDisconnect(Slot slot, WriteOp op) {
    QueuedWrite write = new QueuedWrite(namespace, caller, op);
    queued = true;
    onDisconnectStep(slot, () -> onDisconnect.add(connection, write));
  }

  /**
   * Applies one change to the stored on-disconnect queue after the previous ones, then answers {@code slot}
   * (if any): ok once stored, else unavailable (the store is unreachable, or this gateway was fenced).
   */
  private void onDisconnectStep(Slot slot, Supplier<CompletableFuture<Void>> step) {
    CompletableFuture<Void> done = onDisconnectChain.thenCompose(v -> step.get());
    onDisconnectChain = done.exceptionally(e -> null);
    done.whenComplete((v, error) -> loop.execute(() -> {
      if (error == null) {
        if (slot != null) {
          ok(slot, "");
        }
        return;
      }
      Throwable e = unwrap(error);
      if (e instanceof FencedException) {
        LOG.debug("[{}] on-disconnect queue refused: {}", id, e.getMessage());
      } else {
        LOG.warn("[{}] cannot store the on-disconnect queue: {}", id, e.toString());
      }
      if (slot != null) {
        replies.complete(slot, ErrorCode.UNAVAILABLE.wire(),
            "The database is temporarily unavailable: the onDisconnect queue could not be stored");
      }
    }));
  }

  private void write(Slot slot, WriteOp op, String expectedHash) {
    long start = System.nanoTime();
    CompletableFuture<ChangeRecord> verdict = backend.write(op, expectedHash);
    writesSettled = CompletableFuture.allOf(writesSettled, verdict.handle((change, error) -> null));
    verdict.whenComplete((change, error) -> loop.execute(() -> {
      if (error != null) {
        metrics.writeFailed();
        fail(slot, error);
      } else if (change.accepted()) {
        metrics.writeAccepted(System.nanoTime() - start);
        ok(slot, "");
      } else {
        metrics.writeRejected(System.nanoTime() - start);
        replies.complete(slot, change.error().wire(), message(change.error(), change.message()));
      }
    }));
  }

  private void get(Request req, Slot slot) {
    Path path = Path.parse(path(req));
    QuerySpec query = QuerySpec.fromWire(req.query());
    writesSettled.thenCompose(settled -> backend.get(path, query))
        .whenComplete((value, error) -> loop.execute(() -> {
          if (error == null) {
            ok(slot, value);
          } else {
            fail(slot, error);
          }
        }));
  }

  /**
   * Ends the session: the pusher session closes (its listens stop), unsent replies are dropped, then the
   * on-disconnect queue is drained from the store and its writes are produced in the order they were queued (at
   * once with the in-memory store; once Redis answers with Redis). Nobody waits for their verdicts. If the gateway
   * halted (a simulated crash) the queue stays in the store for a survivor. Idempotent.
   */
  void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (expiryTimer != null) {
      expiryTimer.run();
      expiryTimer = null;
    }
    replies.close();
    try {
      backend.close();
    } catch (RuntimeException e) {
      LOG.warn("[{}] closing the pusher session failed", id, e);
    }
    if (!queued) {
      return;
    }
    if (agent != null && agent.halted()) {
      LOG.debug("[{}] the gateway halted: the on-disconnect queue stays for a surviving gateway", id);
      return;
    }
    CompletableFuture<Void> produced = onDisconnectChain
        .thenCompose(v -> onDisconnect.drain(connection))
        .thenAccept(this::produceOnDisconnect);
    produced.whenComplete((v, error) -> {
      if (error != null) {
        LOG.warn("[{}] cannot take the on-disconnect queue from the cluster state: {}", id, unwrap(error).toString());
      }
    });
    if (agent != null) {
      agent.track(produced);
    }
  }

  /** Produces drained on-disconnect writes in order; nobody waits for their verdicts. */
  private void produceOnDisconnect(List<QueuedWrite> writes) {
    for (QueuedWrite write : writes) {
      WriteOp op = write.op();
      try {
        backend.write(op, null).whenComplete((change, error) -> {
          if (error != null) {
            LOG.debug("[{}] on-disconnect write at {} failed: {}", id, op.path(), unwrap(error).getMessage());
          } else if (!change.accepted()) {
            LOG.debug("[{}] on-disconnect write at {} rejected: {}", id, op.path(), change.error());
          }
        });
      } catch (RuntimeException e) {
        LOG.warn("[{}] on-disconnect write at {} could not be produced", id, op.path(), e);
      }
    }
    if (!writes.isEmpty()) {
      LOG.debug("[{}] produced {} on-disconnect write(s)", id, writes.size());
    }
  }

  /** Replies reserved and not yet sent (for tests and diagnostics). */
  int pendingReplies() {
    return replies.pending();
  }

  private void ok(Slot slot, Object data) {
    replies.complete(slot, Reply.OK, data);
  }

  /** An error reply: a catalogued failure keeps its code and message; anything else is an internal failure. */
  private void fail(Slot slot, Throwable failure) {
    Throwable e = unwrap(failure);
    if (e instanceof CanopyException ce) {
      ErrorCode code = ce.code() == null ? ErrorCode.INTERNAL : ce.code();
      replies.complete(slot, code.wire(), message(code, ce.getMessage()));
      return;
    }
    LOG.error("[{}] request {} failed", id, slot.r(), e);
    replies.complete(slot, ErrorCode.INTERNAL.wire(), message(ErrorCode.INTERNAL, null));
  }

  private static String path(Request req) {
    if (req.path() == null) {
      throw CanopyException.invalidPath("Invalid request: no path \"p\"");
    }
    return req.path();
  }

  /** The error's message, or Firebase's standard wording when there is none (an error's {@code d} is a string). */
  static String message(ErrorCode code, String message) {
    if (message != null && !message.isBlank()) {
      return message;
    }
    return switch (code) {
      case PERMISSION_DENIED -> "Permission denied";
      case DATASTALE -> "The data has changed since it was read";
      case INVALID_PATH -> "Invalid path";
      case INVALID_DATA -> "Invalid data";
      case INVALID_QUERY -> "Invalid query";
      case PAYLOAD_TOO_LARGE -> "Payload too large";
      case UNAVAILABLE, TIMEOUT -> "The database is temporarily unavailable";
      default -> "Internal server error";
    };
  }

  private static Throwable unwrap(Throwable t) {
    Throwable e = t;
    while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }

  private static String abbreviate(String s) {
    return s.length() > 40 ? s.substring(0, 37) + "..." : s;
  }
}
