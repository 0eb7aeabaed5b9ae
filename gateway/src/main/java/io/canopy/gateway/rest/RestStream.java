package io.canopy.gateway.rest;

import io.canopy.core.path.Path;
import io.canopy.core.query.QuerySpec;
import io.canopy.core.tree.Node;
import io.canopy.gateway.Drains;
import io.canopy.gateway.sse.SseEvents;
import io.canopy.gateway.sse.SseKeepAlive;
import io.canopy.pusher.DataPush;
import io.canopy.pusher.ListenRevoked;
import io.canopy.pusher.PusherSession;
import io.canopy.pusher.SessionTransport;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One REST event stream: the pusher session's transport over a chunked HTTP response. The pusher writes the
 * stream's items in order, one at a time, on a delivery thread: its data pushes (the listen's initial value first,
 * then every change, or a fresh snapshot when a slow client was resynced) become {@code put}/{@code patch} events
 * at paths relative to the stream's location; the gateway's own items queued through {@link PusherSession#send}
 * (keep-alive, cancel, auth_revoked) stay in order with them. The response head goes out with the first event, so
 * a listen that fails before its data can still be answered with a plain JSON error.
 */
final class RestStream implements SessionTransport, EventStreams.Stream {
  private static final Logger LOG = LoggerFactory.getLogger(RestStream.class);

  /** A gateway item: one frame, maybe the last. */
  record Control(Buffer frame, boolean last) {}

  /** The pusher side of the stream: a {@link PusherSession} in production. */
  interface Session {
    /** Queues a gateway item behind everything queued before it. */
    void send(Object item);

    void close();

    static Session of(PusherSession s) {
      return new Session() {
        @Override
        public void send(Object item) {
          s.send(item);
        }

        @Override
        public void close() {
          s.close();
        }
      };
    }
  }

  private final Vertx vertx;
  private final HttpServerResponse response;
  private final RestRequest request;
  private final long maxEventBytes;
  private final EventStreams registry;
  /** The response head was claimed: by the first event, or by an error reply. */
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean finished = new AtomicBoolean();
  private volatile Session session;
  private volatile SseKeepAlive keepAlive;
  private volatile long expiryTimer = -1;

  RestStream(Vertx vertx, HttpServerResponse response, RestRequest request, long maxEventBytes,
      EventStreams registry) {
    this.vertx = vertx;
    this.response = response;
    this.request = request;
    this.maxEventBytes = maxEventBytes;
    this.registry = registry;
  }

  void attach(Session s) {
    this.session = s;
  }

  /**
   * The listen's initial data is queued: start the keep-alive clock and the credential's expiry, and make the
   * stream visible to the hooks. On the request's event loop.
   */
  void live(long keepAliveMs) {
    if (finished.get()) {
      return;
    }
    registry.add(this);
    keepAlive = SseKeepAlive.start(vertx, keepAliveMs, () -> send(new Control(SseEvents.keepAlive(), false)));
    Long exp = request.credential().expiresAtMillis();
    if (exp != null) {
      long delay = Math.max(1, exp - System.currentTimeMillis());
      expiryTimer = vertx.setTimer(delay, id -> revokeAuth(EventStreams.CREDENTIAL_EXPIRED));
    }
    if (finished.get()) {
      cleanUp(); // finished while we were starting
    }
  }

  /** Claims the response for an error reply; false if an event already went out. */
  boolean claimForError() {
    return started.compareAndSet(false, true);
  }

  boolean isFinished() {
    return finished.get();
  }

  // ---- SessionTransport (the pusher's delivery thread) ----

  @Override
  public void write(Object item) {
    if (finished.get()) {
      return;
    }
    Buffer frame;
    boolean last = false;
    if (item instanceof DataPush push) {
      try {
        frame = format(push);
      } catch (SseEvents.TooLarge e) {
        frame = SseEvents.cancel(EventStreams.PAYLOAD_TOO_LARGE);
        last = true;
      }
    } else if (item instanceof Control c) {
      frame = c.frame();
      last = c.last();
    } else if (item instanceof ListenRevoked) {
      frame = SseEvents.cancel(EventStreams.PERMISSION_DENIED); // the rules no longer allow this read
      last = true;
    } else {
      LOG.error("Unexpected item {} for an event stream; skipped", item.getClass().getSimpleName());
      return;
    }
    try {
      if (started.compareAndSet(false, true)) {
        SseEvents.startResponse(response);
      }
      response.write(frame);
    } catch (RuntimeException e) {
      finish(); // the connection is gone
      return;
    }
    if (last) {
      finish();
    }
  }

  @Override
  public boolean writable() {
    return !response.writeQueueFull();
  }

  @Override
  public void onWritable(Runnable callback) {
    Drains.onDrained(response, finished::get, callback);
  }


  /** The event of one data push, at its path relative to the stream's location. */
  Buffer format(DataPush push) {
    Path rel = request.path().relativize(push.path());
    String at = rel.toString();
    boolean export = request.params().export();
    if (push.isMerge()) {
      return SseEvents.patch(at, push.mergeChildren(), export, maxEventBytes);
    }
    Node data = push.data() == null ? Node.empty() : push.data();
    QuerySpec query = request.params().query();
    if (rel.isRoot() && query != null) {
      // the whole (query) value: its children in query order
      return SseEvents.put(at, g -> JsonReplies.writeQueryResult(query, data, g, export), maxEventBytes);
    }
    return SseEvents.put(at, data, export, maxEventBytes);
  }

  // ---- hooks ----

  @Override
  public String namespace() {
    return request.namespace();
  }

  @Override
  public Path path() {
    return request.path();
  }

  @Override
  public QuerySpec query() {
    return request.params().query();
  }

  @Override
  public Credential credential() {
    return request.credential();
  }

  @Override
  public void cancel(String message) {
    send(new Control(SseEvents.cancel(message), true));
  }

  @Override
  public void revokeAuth(String message) {
    send(new Control(SseEvents.authRevoked(message), true));
  }

  private void send(Control item) {
    Session s = session;
    if (s != null && !finished.get()) {
      s.send(item);
    }
  }

  // ---- ending ----

  /** The listen failed before any event: drop the session; the caller answers with an error. */
  void abandon() {
    if (finished.compareAndSet(false, true)) {
      Session s = session;
      if (s != null) {
        s.close();
      }
      cleanUp();
    }
  }

  /** Ends the stream: closes the pusher session (its views are released), the timers and the response. Idempotent. */
  void finish() {
    if (!finished.compareAndSet(false, true)) {
      return;
    }
    Session s = session;
    if (s != null) {
      s.close();
    }
    cleanUp();
    try {
      if (!response.ended() && !response.closed()) {
        if (started.compareAndSet(false, true)) {
          SseEvents.startResponse(response);
        }
        response.end();
      }
    } catch (RuntimeException e) {
      // already closed underneath us: nothing to end
    }
  }

  private void cleanUp() {
    registry.remove(this);
    SseKeepAlive k = keepAlive;
    if (k != null) {
      k.close();
    }
    long t = expiryTimer;
    if (t >= 0) {
      vertx.cancelTimer(t);
    }
  }
}
