package io.canopy.gateway.ws;

import io.canopy.core.error.CanopyException;
import io.canopy.gateway.GatewayConfig;
import io.canopy.gateway.auth.TokenVerifier;
import io.canopy.gateway.cluster.ClusterAgent;
import io.canopy.gateway.health.GatewayMetrics;
import io.canopy.gateway.limits.GatewayLimits;
import io.canopy.gateway.ns.NamespaceResolver;
import io.canopy.gateway.rest.JsonReplies;
import io.canopy.gateway.write.WriteLog;
import io.canopy.presence.ConnectionRef;
import io.canopy.presence.OnDisconnectStore;
import io.canopy.pusher.Pusher;
import io.canopy.pusher.PusherSession;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.ext.web.RoutingContext;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /.lp}: the Firebase realtime protocol (v5) over long-polling, the JS SDK's fallback for browsers whose
 * WebSocket failed before (it then starts with long-polling and switches to WebSocket once that works). Mount it
 * with {@link #PATHS} <em>before</em> the {@code /.ws} route: it serves {@code /.lp} and takes the WebSockets that
 * switch a long-polling session over ({@code /.ws?s=<session>}); any other {@code /.ws} request goes on to the
 * {@link WebSocketEndpoint}.
 *
 * <p>The requests, all GETs of scripts the client loads in a hidden iframe (query parameters as the SDK sends them,
 * unencoded):
 * <ul>
 *   <li>{@code start=t&ser=&cb=&v=5[&ns=][&ls=]}: a new session (namespace as for {@code /.ws}). Answered with
 *       {@code pLPCommand<cb>('start', id, pw)} and the hello as response 0 ({@link LongPollScripts}).
 *   <li>{@code id=&pw=&ser=[&seg<i>=&ts<i>=&d<i>=]...}: a poll, perhaps carrying pieces of messages
 *       ({@link LongPollSegments}); held until there is something to send ({@link LongPollSession}).
 *   <li>{@code dframe=t&id=&pw=}: the page of the client's hidden disconnect frame, which calls
 *       {@code disconn=t&id=&pw=} (a beacon, so GET or POST) when it goes away: the session ends at once.
 * </ul>
 * An unknown session is answered 404 and a wrong password 403: the script fails to load and the client reconnects.
 *
 * <p>The gateway's {@link GatewayLimits} apply as to a WebSocket: a session takes a place under the connection cap
 * (kept when it switches to WebSocket), and has its message and flood budgets and its namespace's write budget.
 */
public final class LongPollEndpoint implements Handler<RoutingContext> {
  public static final String PATH = "/.lp";
  /** The paths to mount this endpoint on, as a regular expression: {@code /.lp}, and {@code /.ws} for switches. */
  public static final String PATHS = "/\\.(lp|ws)";
  private static final Logger LOG = LoggerFactory.getLogger(LongPollEndpoint.class);
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Pattern CALLBACK_ID = Pattern.compile("[0-9]{1,16}");

  private final Pusher pusher;
  private final WriteLog writeLog;
  private final NamespaceResolver namespaces;
  private final GatewayMetrics metrics;
  private final GatewayConfig config;
  private final TokenVerifier verifier;
  private final GatewayLimits limits;
  /** The gateway's cluster agent; null = a gateway alone, on-disconnect queues in this endpoint's memory. */
  private final ClusterAgent cluster;
  private final OnDisconnectStore onDisconnect;
  private final String gatewayId;
  private final Map<String, LongPollSession> sessions = new ConcurrentHashMap<>();

  public LongPollEndpoint(RealtimeServices services) {
    this.cluster = services.cluster();
    this.onDisconnect = services.newOnDisconnectStore();
    this.gatewayId = services.gatewayId();
    services.onFenced(this::closeAll);
    this.pusher = services.pusher();
    this.writeLog = services.writeLog();
    this.namespaces = services.namespaces();
    this.metrics = services.metrics();
    this.config = services.config();
    this.verifier = services.verifier();
    this.limits = services.limits();
  }

  /** Closes every session (the gateway was fenced: the clients reconnect and queue their writes again). */
  public void closeAll() {
    sessions.values().forEach(session -> session.onContext(() -> session.close("the gateway rejoined the cluster")));
  }

  /** Open long-polling sessions (those switched to WebSocket included). */
  public int sessions() {
    return sessions.size();
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    Map<String, String> params = params(request.query());
    if (!PATH.equals(request.path())) {
      String switching = params.get("s");
      if (switching == null || switching.isEmpty() || !request.canUpgradeToWebSocket()) {
        ctx.next(); // an ordinary WebSocket
      } else {
        upgrade(request, switching);
      }
      return;
    }
    HttpServerResponse response = ctx.response();
    if (request.method() != HttpMethod.GET && request.method() != HttpMethod.POST) {
      error(response, 405, "/.lp is the long-polling endpoint of the realtime protocol: GET (POST for disconn)");
      return;
    }
    if ("t".equals(params.get("start"))) {
      start(request, params);
      return;
    }
    String id = params.get("id");
    if (id == null) {
      error(response, 400, "/.lp is the long-polling endpoint of the realtime protocol: start a session with"
          + " start=t, then poll with its id and pw");
      return;
    }
    LongPollSession session = sessions.get(id);
    if (session == null) {
      error(response, 404, "Unknown long-polling session (it may have timed out): start a new one");
      return;
    }
    if (!samePassword(session.password(), params.get("pw"))) {
      error(response, 403, "Wrong long-polling password");
      return;
    }
    if ("t".equals(params.get("dframe"))) {
      String url = "?disconn=t&id=" + session.id() + "&pw=" + session.password();
      answer(response, 200, "text/html; charset=utf-8", LongPollScripts.disconnectFrame(url));
    } else if ("t".equals(params.get("disconn"))) {
      session.onContext(session::onDisconnect);
      answer(response, 200, LongPollScripts.JAVASCRIPT, LongPollScripts.KEEPALIVE);
    } else {
      session.onContext(() -> session.onPoll(params, response));
    }
  }

  private void start(HttpServerRequest request, Map<String, String> params) {
    HttpServerResponse response = request.response();
    String cb = params.getOrDefault("cb", "");
    if (!cb.isEmpty() && !CALLBACK_ID.matcher(cb).matches()) {
      error(response, 400, "Invalid long-polling callback id: digits only");
      return;
    }
    String host = WebSocketEndpoint.host(request.getHeader("Host"), request.authority());
    String namespace;
    try {
      namespace = namespaces.resolve(params.get("ns"), host);
    } catch (CanopyException e) {
      LOG.debug("Refusing a long-polling session: {}", e.getMessage());
      answer(response, 200, LongPollScripts.JAVASCRIPT, LongPollScripts.data(cb, 0,
          List.of(WireFormat.write(new Outbound.Shutdown(e.getMessage())))));
      return;
    }
    if (!limits.connections().tryOpenWebSocket()) {
      limits.connectionRefused();
      LOG.debug("Refusing a long-polling session: {} connections are open", limits.connections().open());
      response.putHeader("Retry-After", "1");
      error(response, 503, limits.connections().refusal());
      return;
    }
    AtomicBoolean counted = new AtomicBoolean(true);
    Runnable release = () -> {
      if (counted.compareAndSet(true, false)) {
        limits.connections().webSocketClosed();
      }
    };
    Context context = Vertx.currentContext();
    String id = newSecret();
    LongPollSession session = new LongPollSession(id, newSecret(), cb, namespace, context, metrics, limits,
        config.wsIdleTimeoutMs(), config.wsMaxMessageChars(), () -> {
          sessions.remove(id);
          release.run();
          if (cluster != null) {
            cluster.connectionClosed(namespace);
          }
        });
    session.transport().write(new Outbound.Handshake(System.currentTimeMillis(), host, id));
    PusherSession pusherSession;
    try {
      pusherSession = pusher.openSession(session.transport());
    } catch (RuntimeException e) {
      release.run();
      LOG.warn("Cannot open a realtime session: {}", e.toString());
      error(response, 503, "The database is temporarily unavailable");
      return;
    }
    sessions.put(id, session);
    if (cluster != null) {
      cluster.connectionOpened(namespace);
    }
    PusherBackend backend = new PusherBackend(namespace, pusherSession, pusher, writeLog, context);
    WsSession wsSession = new WsSession(id, backend, task -> context.runOnContext(v -> task.run()), metrics,
        config.writeTimeoutMs(), verifier, namespace, onDisconnect, new ConnectionRef(gatewayId, id), cluster);
    session.start(wsSession, backend, response);
    LOG.debug("[{}] long-polling session in namespace \"{}\" (host {}, last session {})", id, namespace, host,
        params.get("ls"));
    String last = params.get("ls");
    LongPollSession previous = last == null || last.equals(id) ? null : sessions.get(last);
    if (previous != null) {
      previous.onContext(() -> previous.close("the client reconnected"));
    }
  }

  /** {@code /.ws?s=<session>}: the client switches a long-polling session to WebSocket. */
  private void upgrade(HttpServerRequest request, String sessionId) {
    LongPollSession session = sessions.get(sessionId);
    String host = WebSocketEndpoint.host(request.getHeader("Host"), request.authority());
    request.toWebSocket().onComplete(upgraded -> {
      if (upgraded.failed()) {
        LOG.debug("WebSocket upgrade failed: {}", upgraded.cause().toString());
        return;
      }
      ServerWebSocket ws = upgraded.result();
      if (session == null) {
        refuseSwitch(ws, host);
        return;
      }
      ws.pause();
      session.onContext(() -> {
        if (!session.attach(ws)) {
          refuseSwitch(ws, host);
        }
        ws.resume();
      });
    });
  }

  /** A switch to a session that is gone: a reset makes the client drop this socket and keep what it has. */
  private static void refuseSwitch(ServerWebSocket ws, String host) {
    LOG.debug("Refusing a switch to WebSocket: no such long-polling session");
    ws.writeTextMessage("{\"t\":\"c\",\"d\":{\"t\":\"r\",\"d\":" + LongPollScripts.quote(host) + "}}")
        .onComplete(done -> ws.close((short) 1000, "no such session"));
  }

  /** Answers {@code response} unless it is already over (the client went away meanwhile). Any thread. */
  static void answer(HttpServerResponse response, int status, String contentType, String body) {
    if (response.ended() || response.closed()) {
      return;
    }
    response.setStatusCode(status)
        .putHeader("Content-Type", contentType)
        .putHeader("Cache-Control", "no-cache, no-store, must-revalidate")
        .putHeader("Pragma", "no-cache")
        .putHeader("Expires", "0")
        .putHeader("X-Content-Type-Options", "nosniff")
        .end(Buffer.buffer(body, "UTF-8"));
  }

  private static void error(HttpServerResponse response, int status, String message) {
    if (response.ended() || response.closed()) {
      return;
    }
    response.setStatusCode(status)
        .putHeader("Content-Type", "application/json; charset=utf-8")
        .putHeader("Cache-Control", "no-cache, no-store, must-revalidate")
        .end(Buffer.buffer(JsonReplies.error(message)));
  }

  /** A non-negative decimal, or {@code otherwise}. */
  static long number(String text, long otherwise) {
    if (text == null || text.isEmpty() || text.length() > 18) {
      return otherwise;
    }
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) < '0' || text.charAt(i) > '9') {
        return otherwise;
      }
    }
    return Long.parseLong(text);
  }

  /**
   * The query parameters, leniently: the JS SDK joins {@code k=v} pairs without encoding them, so a value that is
   * not valid percent-encoding is taken as it is and a {@code +} stays a plus; a repeated key keeps its first value.
   */
  static Map<String, String> params(String query) {
    Map<String, String> out = new HashMap<>();
    if (query == null || query.isEmpty()) {
      return out;
    }
    for (String pair : query.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      if (value.indexOf('%') >= 0) {
        try {
          value = URLDecoder.decode(value.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
          // not percent-encoding after all
        }
      }
      out.putIfAbsent(key, value);
    }
    return out;
  }

  private static boolean samePassword(String expected, String given) {
    return given != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
        given.getBytes(StandardCharsets.UTF_8));
  }

  private static String newSecret() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
