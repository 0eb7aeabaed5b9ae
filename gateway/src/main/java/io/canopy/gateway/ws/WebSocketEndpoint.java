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
import io.netty.channel.Channel;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.net.HostAndPort;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.ext.web.RoutingContext;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /.ws}: the Firebase realtime protocol (v5) over WebSocket, on the gateway's HTTP port. Mount it on the
 * router for {@value #PATH} and apply {@link #configure} to the server options. Each accepted socket gets its
 * namespace ({@code ns=}, else the Host's first label, else the default), the server's hello, a pusher session and
 * a {@link WsSession}. An invalid namespace is told to the client with a shutdown message (so it stops
 * reconnecting) before the socket closes.
 *
 * <p>A client reconnecting with {@code ls=<its previous session>} closes that session's socket if it is still open
 * here, so its on-disconnect writes run now rather than when TCP notices. Session ids are random and unguessable.
 *
 * <p>The gateway's {@link GatewayLimits} apply: an upgrade beyond the connection cap is answered 503 with a JSON
 * error before it is upgraded, and each connection gets its message and flood budgets and shares its namespace's
 * write budget (see {@link WsConnection}).
 */
public final class WebSocketEndpoint implements Handler<RoutingContext> {
  public static final String PATH = "/.ws";
  private static final Logger LOG = LoggerFactory.getLogger(WebSocketEndpoint.class);
  private static final SecureRandom RANDOM = new SecureRandom();

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
  private final Map<String, WsConnection> connections = new ConcurrentHashMap<>();

  public WebSocketEndpoint(RealtimeServices services) {
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

  /**
   * The WebSocket settings of the HTTP server: client frames up to {@code wsMaxFrameBytes}, and a message made of
   * WebSocket continuation frames (which the SDKs never send) up to four frames.
   */
  public static HttpServerOptions configure(HttpServerOptions options, GatewayConfig config) {
    // No permessage-deflate (which browsers always offer): zlib would keep a compressor and a decompressor per
    // connection, about 300 KB of native memory by zlib's own sizing, some 40 times the heap an idle connection
    // costs otherwise. Protocol frames are mostly small JSON, where deflate saves little.
    return options.setMaxWebSocketFrameSize(config.wsMaxFrameBytes())
        .setMaxWebSocketMessageSize((int) Math.min(Integer.MAX_VALUE, 4L * config.wsMaxFrameBytes()))
        .setPerMessageWebSocketCompressionSupported(false)
        .setPerFrameWebSocketCompressionSupported(false);
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    if (!request.canUpgradeToWebSocket()) {
      ctx.response().setStatusCode(400)
          .putHeader("Content-Type", "application/json; charset=utf-8")
          .end("{\"error\":\"/.ws is the realtime WebSocket endpoint: connect with a WebSocket client\"}");
      return;
    }
    if (!limits.connections().tryOpenWebSocket()) {
      limits.connectionRefused();
      LOG.debug("Refusing a WebSocket upgrade: {} connections are open", limits.connections().open());
      ctx.response().setStatusCode(503)
          .putHeader("Content-Type", "application/json; charset=utf-8")
          .putHeader("Retry-After", "1")
          .end(Buffer.buffer(JsonReplies.error(limits.connections().refusal())));
      return;
    }
    AtomicBoolean counted = new AtomicBoolean(true);
    Runnable release = () -> {
      if (counted.compareAndSet(true, false)) {
        limits.connections().webSocketClosed();
      }
    };
    String host = host(request.getHeader("Host"), request.authority());
    Channel channel = request.connection() instanceof ConnectionBase base ? base.channel() : null;
    request.toWebSocket().onComplete(upgraded -> {
      if (upgraded.succeeded()) {
        try {
          UpgradeResidue.trim(channel); // before anything is written to the socket
          open(upgraded.result(), channel, host, release);
        } catch (RuntimeException e) {
          release.run();
          throw e;
        }
      } else {
        release.run();
        LOG.debug("WebSocket upgrade failed: {}", upgraded.cause().toString());
      }
    });
  }

  /** @param release gives the connection's place under the cap back; run once the connection is over */
  private void open(ServerWebSocket ws, Channel channel, String host, Runnable release) {
    WsParams params = WsParams.parse(ws.query());
    String namespace;
    try {
      namespace = namespaces.resolve(params.ns(), host);
    } catch (CanopyException e) {
      release.run();
      refuse(ws, e.getMessage());
      return;
    }
    Context context = Vertx.currentContext();
    String sessionId = newSessionId();
    WsConnection connection = new WsConnection(sessionId, ws, channel, context, metrics, config.wsMaxMessageChars(),
        limits, namespace, () -> {
          connections.remove(sessionId);
          release.run();
          if (cluster != null) {
            cluster.connectionClosed(namespace);
          }
        });
    WsTransport transport = new WsTransport(ws, metrics, connection::touch);
    transport.write(new Outbound.Handshake(System.currentTimeMillis(), host, sessionId));
    PusherSession pusherSession;
    try {
      pusherSession = pusher.openSession(transport);
    } catch (RuntimeException e) {
      release.run();
      LOG.warn("Cannot open a realtime session: {}", e.toString());
      ws.close((short) 1011, "unavailable");
      return;
    }
    metrics.webSocketOpened();
    connections.put(sessionId, connection);
    if (cluster != null) {
      cluster.connectionOpened(namespace);
    }
    PusherBackend backend = new PusherBackend(namespace, pusherSession, pusher, writeLog, context);
    WsSession session = new WsSession(sessionId, backend, task -> context.runOnContext(v -> task.run()), metrics,
        config.writeTimeoutMs(), verifier, namespace, onDisconnect, new ConnectionRef(gatewayId, sessionId),
        cluster);
    connection.start(session, config.wsIdleTimeoutMs(), backend::send);
    LOG.debug("[{}] connected to namespace \"{}\" (host {}, last session {})", sessionId, namespace, host,
        params.ls());
    closePrevious(params.ls(), sessionId);
  }

  /** Closes every open connection (the gateway was fenced: the clients reconnect and queue their writes again). */
  public void closeAll() {
    connections.values().forEach(WsConnection::close);
  }

  /** The client says it was {@code lastSession} before: if that socket is still open here, it is dead. */
  private void closePrevious(String lastSession, String sessionId) {
    if (lastSession == null || lastSession.equals(sessionId)) {
      return;
    }
    WsConnection previous = connections.get(lastSession);
    if (previous != null) {
      LOG.debug("[{}] closing the client's previous connection {}", sessionId, lastSession);
      previous.close();
    }
  }

  /** Tells the client to stop reconnecting, then closes. */
  private static void refuse(ServerWebSocket ws, String reason) {
    LOG.debug("Refusing a WebSocket connection: {}", reason);
    ws.writeTextMessage(WireFormat.write(new Outbound.Shutdown(reason)))
        .onComplete(done -> ws.close((short) 1008, "invalid namespace"));
  }

  /** The Host header as received (what clients should come back to); the authority if there is none. */
  static String host(String hostHeader, HostAndPort authority) {
    if (hostHeader != null && !hostHeader.isBlank()) {
      return hostHeader.trim();
    }
    if (authority != null) {
      return authority.port() > 0 ? authority.host() + ":" + authority.port() : authority.host();
    }
    return "localhost";
  }

  private static String newSessionId() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
