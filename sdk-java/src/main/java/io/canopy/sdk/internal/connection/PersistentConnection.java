package io.canopy.sdk.internal.connection;

import com.fasterxml.jackson.databind.JsonNode;
import io.canopy.core.path.Path;
import io.canopy.core.query.QuerySpec;
import io.canopy.core.tree.Node;
import io.canopy.sdk.internal.events.EventLoop;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The protocol session that survives reconnections (Firebase's PersistentConnection): keeps the active listens,
 * the writes not yet acknowledged (in order), queued on-disconnect requests and gets, and replays them on every new
 * connection after the handshake: stats (first connection only), credentials, listens, writes in their original
 * order, on-disconnect requests, gets. Reconnects with {@link Backoff} after every loss until interrupted or closed.
 *
 * <p>Everything runs on the client's {@link EventLoop}; transports hand their events over to it, tagged with a
 * connection generation so that events of a dead socket are ignored. Speaks paths and trees, not listeners or
 * views: the {@link Delegate} gets the server's data.
 */
public final class PersistentConnection {
  private static final Logger LOG = LoggerFactory.getLogger(PersistentConnection.class);
  /** After this long without sending anything, send the keepalive frame {@code 0}. */
  static final long KEEPALIVE_MILLIS = 45_000;
  static final String DISCONNECTED = "disconnected";

  /** What the connection reports upwards; called on the event thread. */
  public interface Delegate {
    /** A connection is up and its handshake done: {@code serverTimeOffset} = server clock − local clock. */
    void onConnect(long serverTimeOffset);

    /** The connection was lost (or interrupted); pending work is kept and replayed on the next connection. */
    void onDisconnect();

    /** A {@code d} push: the value at {@code path} is now {@code data}; {@code tag} is null for default listens. */
    void onOverwrite(Path path, Node data, Long tag);

    /** An {@code m} push: each relative path below {@code path} now holds its value. */
    void onMerge(Path path, Map<Path, Node> changes, Long tag);

    /** A {@code c} push: the listen at {@code path} was revoked by the server. */
    void onListenRevoked(Path path, QuerySpec query);

    /** The server refused the credentials. */
    void onAuthFailed(String status, String message);

    /** The server told the client to stop ({@code s}); it will not reconnect. */
    void onKilled(String reason);
  }

  /** The completion of a request: {@code status} is {@code "ok"} or the error status. */
  public interface Callback {
    void done(String status, JsonNode data);
  }

  /** A listen: (path, query) with the tag the server will put on its pushes (null for default listens). */
  private record ListenKey(Path path, QuerySpec query) {}

  private static final class Listen {
    final ListenKey key;
    final Long tag;
    final Supplier<String> hash;
    final Callback callback;

    Listen(ListenKey key, Long tag, Supplier<String> hash, Callback callback) {
      this.key = key;
      this.tag = tag;
      this.hash = hash;
      this.callback = callback;
    }
  }

  private static final class Put {
    final String action;
    final Map<String, Object> body;
    final boolean compareAndSet;
    final Callback callback;
    boolean sent;

    Put(String action, Map<String, Object> body, boolean compareAndSet, Callback callback) {
      this.action = action;
      this.body = body;
      this.compareAndSet = compareAndSet;
      this.callback = callback;
    }
  }

  private static final class Request {
    final String action;
    final Map<String, Object> body;
    final Callback callback;
    boolean sent;
    ScheduledFuture<?> timeout;

    Request(String action, Map<String, Object> body, Callback callback) {
      this.action = action;
      this.body = body;
      this.callback = callback;
    }
  }

  private enum State { DISCONNECTED, CONNECTING, CONNECTED }

  private final EventLoop loop;
  private final URI baseUri;
  private final TransportFactory transports;
  private final Backoff backoff;
  private final String authAction;
  private final String authToken;
  private final long handshakeTimeoutMillis;
  private final long offlineGetTimeoutMillis;
  private Delegate delegate;

  private State state = State.DISCONNECTED;
  private int generation;
  private Transport transport;
  private boolean interrupted;
  private boolean closed;
  private boolean killed;
  private boolean statsSent;
  private String lastSessionId;
  private long nextRequestNumber;
  private long nextPutId;
  private long lastSendNanos;
  private ScheduledFuture<?> reconnectTimer;
  private ScheduledFuture<?> handshakeTimer;
  private ScheduledFuture<?> keepaliveTimer;

  private final Map<Long, Callback> replies = new HashMap<>();
  private final Map<ListenKey, Listen> listens = new LinkedHashMap<>();
  private final TreeMap<Long, Put> puts = new TreeMap<>();
  private final List<Request> onDisconnects = new ArrayList<>();
  private final List<Request> gets = new ArrayList<>();

  /**
   * @param baseUri {@code ws://host:port/.ws?v=5&ns=...}; {@code ls} is appended on reconnects
   * @param authAction {@code "auth"}, {@code "gauth"} or null for no credentials
   */
  public PersistentConnection(EventLoop loop, URI baseUri, TransportFactory transports, Backoff backoff,
      String authAction, String authToken, long handshakeTimeoutMillis, long offlineGetTimeoutMillis) {
    this.loop = loop;
    this.baseUri = baseUri;
    this.transports = transports;
    this.backoff = backoff;
    this.authAction = authAction;
    this.authToken = authToken;
    this.handshakeTimeoutMillis = handshakeTimeoutMillis;
    this.offlineGetTimeoutMillis = offlineGetTimeoutMillis;
  }

  public void setDelegate(Delegate delegate) {
    this.delegate = delegate;
  }

  // ---- lifecycle ----

  /** Starts connecting (event thread). */
  public void start() {
    if (state == State.DISCONNECTED && !interrupted && !closed && !killed) {
      connect();
    }
  }

  /** Goes offline: closes the socket and stops reconnecting until {@link #resume()}. Pending work is kept. */
  public void interrupt() {
    interrupted = true;
    cancel(reconnectTimer);
    if (transport != null) {
      transport.close(); // reports onClosed, handled as a loss
    }
  }

  /** Goes back online after {@link #interrupt()}. */
  public void resume() {
    if (!interrupted) {
      return;
    }
    interrupted = false;
    backoff.reset();
    start();
  }

  /** Closes for good; pending callbacks are dropped (the caller fails its own futures). */
  public void close() {
    closed = true;
    cancel(reconnectTimer);
    cancel(handshakeTimer);
    cancel(keepaliveTimer);
    Transport t = transport;
    transport = null;
    state = State.DISCONNECTED;
    generation++;
    if (t != null) {
      t.close();
    }
    replies.clear();
    listens.clear();
    puts.clear();
    onDisconnects.clear();
    gets.forEach(g -> cancel(g.timeout));
    gets.clear();
  }

  /** True once the handshake of the current socket is done. */
  public boolean isConnected() {
    return state == State.CONNECTED;
  }

  /** Cuts the socket without a close frame, as a network failure would (tests and diagnostics). */
  public void dropConnection() {
    if (transport != null) {
      transport.close();
    }
  }

  private URI uri() {
    if (lastSessionId == null) {
      return baseUri;
    }
    return URI.create(baseUri + "&ls=" + lastSessionId);
  }

  private void connect() {
    state = State.CONNECTING;
    int gen = ++generation;
    URI uri = uri();
    LOG.debug("connecting to {}", uri);
    transport = transports.open(uri, new Transport.Listener() {
      @Override
      public void onMessage(String message) {
        ServerMessage parsed = Wire.parse(message); // parse off the event thread
        loop.execute(() -> {
          if (gen == generation) {
            onServerMessage(parsed);
          }
        });
      }

      @Override
      public void onClosed(String reason) {
        loop.execute(() -> {
          if (gen == generation) {
            onTransportClosed(reason);
          }
        });
      }
    });
    handshakeTimer = loop.schedule(() -> {
      if (gen == generation && state == State.CONNECTING && transport != null) {
        LOG.debug("no handshake within {} ms; retrying", handshakeTimeoutMillis);
        transport.close();
      }
    }, handshakeTimeoutMillis);
  }

  private void onTransportClosed(String reason) {
    State was = state;
    state = State.DISCONNECTED;
    transport = null;
    generation++;
    cancel(handshakeTimer);
    cancel(keepaliveTimer);
    LOG.debug("connection lost ({}): {}", was, reason);
    replies.clear();
    if (was == State.CONNECTED) {
      failInFlight();
      delegate.onDisconnect();
    }
    scheduleReconnect();
  }

  /** Compare-and-set writes and sent requests fail; plain writes are re-sent on the next connection. */
  private void failInFlight() {
    Iterator<Map.Entry<Long, Put>> it = puts.entrySet().iterator();
    List<Callback> failed = new ArrayList<>();
    while (it.hasNext()) {
      Put p = it.next().getValue();
      if (p.sent && p.compareAndSet) {
        it.remove();
        failed.add(p.callback);
      }
      p.sent = false;
    }
    for (List<Request> list : List.of(onDisconnects, gets)) {
      Iterator<Request> ri = list.iterator();
      while (ri.hasNext()) {
        Request r = ri.next();
        if (r.sent) {
          ri.remove();
          cancel(r.timeout);
          failed.add(r.callback);
        }
      }
    }
    for (Callback c : failed) {
      c.done(DISCONNECTED, null);
    }
  }

  private void scheduleReconnect() {
    if (interrupted || closed || killed) {
      return;
    }
    long delay = backoff.nextDelayMillis();
    LOG.debug("reconnecting in {} ms", delay);
    cancel(reconnectTimer);
    reconnectTimer = loop.schedule(() -> {
      if (state == State.DISCONNECTED && !interrupted && !closed && !killed) {
        connect();
      }
    }, delay);
  }

  // ---- incoming ----

  private void onServerMessage(ServerMessage message) {
    if (message instanceof ServerMessage.Handshake h) {
      onHandshake(h);
    } else if (message instanceof ServerMessage.Reply reply) {
      Callback cb = replies.remove(reply.r());
      if (cb != null) {
        cb.done(reply.status(), reply.data());
      }
    } else if (message instanceof ServerMessage.Push push) {
      onPush(push);
    } else if (message instanceof ServerMessage.Control c) {
      onControl(c);
    } else {
      LOG.debug("ignoring unknown message {}", message);
    }
  }

  private void onHandshake(ServerMessage.Handshake h) {
    if (state != State.CONNECTING) {
      return;
    }
    cancel(handshakeTimer);
    state = State.CONNECTED;
    lastSessionId = h.sessionId();
    backoff.reset();
    long offset = h.timestamp() - System.currentTimeMillis();
    LOG.debug("connected (session {}, server time offset {} ms)", h.sessionId(), offset);
    scheduleKeepalive();
    restoreState();
    delegate.onConnect(offset);
  }

  /** Replays everything the server must know, in the order the official SDKs use. */
  private void restoreState() {
    if (!statsSent) {
      statsSent = true;
      send("s", Map.of("c", Map.of("sdk.java.canopy-0-1-0", 1)), null);
    }
    if (authAction != null) {
      send(authAction, Map.of("cred", authToken), (status, data) -> {
        if (!"ok".equals(status)) {
          LOG.warn("The server refused the credentials: {} {}", status, Wire.text(data));
          delegate.onAuthFailed(status, Wire.text(data));
        }
      });
    }
    for (Listen l : new ArrayList<>(listens.values())) {
      sendListen(l);
    }
    for (Map.Entry<Long, Put> e : new ArrayList<>(puts.entrySet())) {
      sendPut(e.getKey(), e.getValue());
    }
    for (Request r : new ArrayList<>(onDisconnects)) {
      sendRequest(r, onDisconnects);
    }
    for (Request r : new ArrayList<>(gets)) {
      sendRequest(r, gets);
    }
  }

  private void onPush(ServerMessage.Push push) {
    JsonNode b = push.body();
    switch (push.action()) {
      case "d" -> delegate.onOverwrite(Path.parse(b.path("p").asText("")), Wire.node(b.get("d")), tag(b));
      case "m" -> {
        Map<Path, Node> changes = Wire.merge(b.get("d"));
        if (!changes.isEmpty()) {
          delegate.onMerge(Path.parse(b.path("p").asText("")), changes, tag(b));
        }
      }
      case "c" -> {
        Path p = Path.parse(b.path("p").asText(""));
        QuerySpec q = null;
        JsonNode qn = b.get("q");
        if (qn != null && qn.isObject() && qn.size() > 0) {
          @SuppressWarnings("unchecked")
          Map<String, Object> qm = new com.fasterxml.jackson.databind.ObjectMapper().convertValue(qn, Map.class);
          q = QuerySpec.fromWire(qm);
        }
        listens.remove(new ListenKey(p, q));
        delegate.onListenRevoked(p, q);
      }
      case "ac" -> {
        LOG.warn("The server revoked the credentials: {}", b);
        delegate.onAuthFailed(b.path("s").asText("invalid_token"), b.path("d").asText(""));
      }
      case "sd" -> LOG.info("Security debug: {}", b.path("msg").asText(""));
      default -> LOG.debug("ignoring push {}", push.action());
    }
  }

  private static Long tag(JsonNode b) {
    JsonNode t = b.get("t");
    return t == null || t.isNull() ? null : t.asLong();
  }

  private void onControl(ServerMessage.Control c) {
    switch (c.type()) {
      case "s" -> {
        LOG.warn("The server shut the connection down: {}", c.data());
        killed = true;
        if (transport != null) {
          transport.close();
        }
        delegate.onKilled(c.data());
      }
      case "r" -> {
        LOG.info("The server asked to reconnect ({}); reconnecting to the configured host", c.data());
        if (transport != null) {
          transport.close();
        }
      }
      case "e" -> LOG.warn("Server error: {}", c.data());
      default -> LOG.debug("ignoring control message {}", c.type());
    }
  }

  // ---- outgoing ----

  /** Listens at (path, query); {@code query} null for a default listen. The callback runs on every ok or error. */
  public void listen(Path path, QuerySpec query, Long tag, Supplier<String> hash, Callback callback) {
    ListenKey key = new ListenKey(path, query);
    Listen l = new Listen(key, tag, hash, callback);
    listens.put(key, l);
    if (state == State.CONNECTED) {
      sendListen(l);
    }
  }

  public void unlisten(Path path, QuerySpec query, Long tag) {
    Listen l = listens.remove(new ListenKey(path, query));
    if (l != null && state == State.CONNECTED) {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("p", Wire.path(path));
      if (query != null) {
        body.put("q", query.toWire());
        body.put("t", tag);
      }
      send("n", body, null);
    }
  }

  private void sendListen(Listen l) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("p", Wire.path(l.key.path()));
    if (l.key.query() != null) {
      body.put("q", l.key.query().toWire());
      body.put("t", l.tag);
    }
    body.put("h", l.hash.get());
    send("q", body, (status, data) -> {
      if (listens.get(l.key) != l) {
        return; // unlistened or replaced meanwhile
      }
      if (!"ok".equals(status)) {
        listens.remove(l.key);
      }
      l.callback.done(status, data);
    });
  }

  /**
   * Queues a write: {@code action} {@code p} (set; {@code hash} non-null makes it a compare-and-set) or {@code m}
   * (merge; {@code data} maps relative paths to trees). Sent at once when connected, else on the next connection.
   */
  public void put(String action, Path path, Object data, String hash, Callback callback) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("p", Wire.path(path));
    body.put("d", data);
    if (hash != null) {
      body.put("h", hash);
    }
    long id = nextPutId++;
    Put p = new Put(action, body, hash != null, callback);
    puts.put(id, p);
    if (state == State.CONNECTED) {
      sendPut(id, p);
    }
  }

  private void sendPut(long id, Put p) {
    p.sent = true;
    send(p.action, p.body, (status, data) -> {
      if (puts.remove(id) != null) {
        p.callback.done(status, data);
      }
    });
  }

  /** Queues an on-disconnect request: {@code o} (set), {@code om} (merge) or {@code oc} (cancel). */
  public void onDisconnect(String action, Path path, Object data, Callback callback) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("p", Wire.path(path));
    body.put("d", data);
    Request r = new Request(action, body, callback);
    onDisconnects.add(r);
    if (state == State.CONNECTED) {
      sendRequest(r, onDisconnects);
    }
  }

  /**
   * A one-shot server read; {@code query} null for the whole node. When offline it waits for a connection up to the
   * offline timeout, then fails with {@code disconnected}.
   */
  public void get(Path path, QuerySpec query, Callback callback) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("p", Wire.path(path));
    body.put("q", query == null ? Map.of() : query.toWire());
    Request r = new Request("g", body, callback);
    gets.add(r);
    if (state == State.CONNECTED) {
      sendRequest(r, gets);
    } else {
      r.timeout = loop.schedule(() -> {
        if (!r.sent && gets.remove(r)) {
          r.callback.done(DISCONNECTED, null);
        }
      }, offlineGetTimeoutMillis);
    }
  }

  private void sendRequest(Request r, List<Request> owner) {
    r.sent = true;
    cancel(r.timeout);
    send(r.action, r.body, (status, data) -> {
      if (owner.remove(r)) {
        r.callback.done(status, data);
      }
    });
  }

  private void send(String action, Map<String, ?> body, Callback callback) {
    long r = nextRequestNumber++;
    if (callback != null) {
      replies.put(r, callback);
    }
    String message = Wire.request(r, action, body);
    if (LOG.isTraceEnabled()) {
      LOG.trace("send {}", message.length() > 500 ? message.substring(0, 500) + "..." : message);
    }
    lastSendNanos = System.nanoTime();
    Objects.requireNonNull(transport, "no transport").send(message);
  }

  private void scheduleKeepalive() {
    cancel(keepaliveTimer);
    int gen = generation;
    keepaliveTimer = loop.schedule(() -> {
      if (gen != generation || state != State.CONNECTED) {
        return;
      }
      if (System.nanoTime() - lastSendNanos >= KEEPALIVE_MILLIS * 1_000_000L) {
        lastSendNanos = System.nanoTime();
        transport.send("0");
      }
      scheduleKeepalive();
    }, KEEPALIVE_MILLIS / 3);
  }

  private static void cancel(ScheduledFuture<?> f) {
    if (f != null) {
      f.cancel(false);
    }
  }
}
