package io.canopy.gateway.ws;

import io.canopy.core.error.ErrorCode;
import io.canopy.gateway.health.GatewayMetrics;
import io.canopy.gateway.limits.GatewayLimits;
import io.canopy.gateway.limits.TokenBucket;
import io.canopy.gateway.ws.ClientMessage.Control;
import io.canopy.gateway.ws.ClientMessage.Unusable;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.ServerWebSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One long-polling connection ({@code /.lp}): the Vert.x side, as {@link WsConnection} is for a WebSocket, around
 * the same {@link WsSession}, so listens, writes, auth, rules and on-disconnect writes behave exactly as over
 * WebSocket.
 *
 * <p>Upstream, each request carries numbered base64 pieces ({@link LongPollSegments}); the messages they complete
 * are handled in the order the client sent them. Downstream, the server's messages wait in the
 * {@link LongPollTransport} for the poll the client keeps open: one poll is held at a time (a newer one releases the
 * older, as the client expects), answered as soon as there is something to send, else with an empty script after
 * {@link #POLL_HOLD_MS} (before the client's own 25 s keepalive). Answers carrying messages are numbered from 0 (the
 * hello) so the client can put them back in order.
 *
 * <p>The session ends when the client says so (its disconnect frame's beacon, {@code disconn=t}), when a held poll's
 * connection drops and no new request comes within {@link #DROPPED_POLL_GRACE_MS}, or after {@link #IDLE_MS}
 * without any request. Then, as over WebSocket, the messages already received are acted on and the
 * on-disconnect writes run.
 *
 * <p>Switch to WebSocket: the client opens {@code /.ws?s=<this session>} while still polling; the socket is attached
 * here and told {@code a}; the client checks it with pings (answered on the socket) and then sends {@code n} (end of
 * transmission) over long-polling. Once that {@code n} is reached in order, every later message goes out on the
 * socket, {@code n} and a close command are the last things the polls carry, and messages the client already sent
 * on the socket are handled after everything it sent by long-polling. From then on the socket is the connection:
 * its close ends the session, and the WebSocket idle timeout applies.
 *
 * <p>Threads: everything runs on the event loop of the request that started the session; requests arriving on other
 * event loops hop there first.
 */
final class LongPollSession {
  private static final Logger LOG = LoggerFactory.getLogger(LongPollSession.class);
  /** How long a poll is held when there is nothing to send (the client opens another after 25 s anyway). */
  static final long POLL_HOLD_MS = 20_000;
  /** How long a session without a held poll and without any request lives (covers throttled background tabs). */
  static final long IDLE_MS = 60_000;
  /**
   * How long a session whose held poll was dropped by the client waits for a new request. Short: the SDK abandons a
   * session whose poll failed to load (it reconnects with a new one), so a dropped poll means the page is gone.
   */
  static final long DROPPED_POLL_GRACE_MS = 1_000;
  /** The most message characters one answer carries (the rest goes with the next poll, sent at once). */
  static final int MAX_ANSWER_CHARS = 512 * 1024;
  /** The switch acknowledgement sent on a WebSocket that is taking over a session. */
  static final String SWITCH_ACK = "{\"t\":\"c\",\"d\":{\"t\":\"a\",\"d\":{}}}";
  private static final long TICK_MS = 500;
  /** Pieces that may wait for their message: the SDK keeps at most two requests of ~1,840 characters out. */
  private static final int MAX_PENDING_SEGMENTS = 4_096;

  private final String id;
  private final String password;
  private final String callback;
  private final String namespace;
  private final Context context;
  private final GatewayMetrics metrics;
  private final GatewayLimits limits;
  private final long wsIdleTimeoutMs;
  private final int maxMessageChars;
  private final LongPollTransport transport;
  private final MessageAdmission admission;
  private final TokenBucket floodBudget;
  private final LongPollSegments segments;
  private final Runnable onFinished;
  private final AtomicBoolean flushScheduled = new AtomicBoolean();
  /** Raw message texts and ready-made {@link ClientMessage}s, in the order the client sent them. */
  private final MessageInbox inbox;
  private WsSession session;
  private SessionBackend backend;
  private long timer = -1;
  private long nextAnswer;
  private HttpServerResponse heldPoll;
  private long heldSerial;
  private long heldSinceNanos;
  private long lastRequestNanos = System.nanoTime();
  private boolean pollDropped;
  /** The socket taking over, once attached; its messages before the switch wait in {@link #early}. */
  private ServerWebSocket webSocket;
  private FrameAssembler webSocketFrames;
  private final List<Object> early = new ArrayList<>();
  private volatile long webSocketActivityNanos;
  /** True once the close command went out with the last poll answer. */
  private boolean pollsClosed;
  private boolean closing;
  private boolean finished;

  /**
   * @param callback the client's callback id ({@code cb}), digits only ("" when it sent none)
   * @param onFinished called once the session has closed (to forget it and give its place under the cap back)
   */
  LongPollSession(String id, String password, String callback, String namespace, Context context,
      GatewayMetrics metrics, GatewayLimits limits, long wsIdleTimeoutMs, int maxMessageChars, Runnable onFinished) {
    this.id = id;
    this.password = password;
    this.callback = callback;
    this.namespace = namespace;
    this.context = context;
    this.inbox = new MessageInbox(id, context, this::handle, this::afterDrain);
    this.metrics = metrics;
    this.limits = limits;
    this.wsIdleTimeoutMs = wsIdleTimeoutMs;
    this.maxMessageChars = maxMessageChars;
    this.admission = new MessageAdmission(limits, namespace);
    this.floodBudget = limits.newFloodBucket();
    this.segments = new LongPollSegments(maxMessageChars, MAX_PENDING_SEGMENTS);
    this.transport = new LongPollTransport(this::scheduleFlush);
    this.onFinished = onFinished;
  }

  String id() {
    return id;
  }

  String password() {
    return password;
  }

  /** Where the pusher writes this session's messages. */
  LongPollTransport transport() {
    return transport;
  }

  /** Starts with {@code session} and answers the start request: {@code start} with id and password, then the hello. */
  void start(WsSession session, SessionBackend backend, HttpServerResponse startRequest) {
    this.session = session;
    this.backend = backend;
    timer = context.owner().setPeriodic(TICK_MS, t -> tick());
    String script = LongPollScripts.start(callback, id, password) + dataScript();
    LongPollEndpoint.answer(startRequest, 200, LongPollScripts.JAVASCRIPT, script);
  }

  /** Runs {@code task} on the session's event loop (at once when already there). */
  void onContext(Runnable task) {
    if (Vertx.currentContext() == context) {
      task.run();
    } else {
      context.runOnContext(v -> task.run());
    }
  }

  /**
   * A poll: its pieces are taken in, then it is held (or answered at once when something waits).
   *
   * @param params the request's query parameters
   */
  void onPoll(Map<String, String> params, HttpServerResponse response) {
    lastRequestNanos = System.nanoTime();
    pollDropped = false;
    if (closing || pollsClosed) {
      LongPollEndpoint.answer(response, 200, LongPollScripts.JAVASCRIPT, closeScript());
      return;
    }
    if (!floodBudget.tryAcquire()) {
      limits.floodClosed();
      LOG.info("[{}] closing a flooding long-polling session: {}", id, limits.floodCloseReason());
      LongPollEndpoint.answer(response, 200, LongPollScripts.JAVASCRIPT, LongPollScripts.close(callback, 0));
      close("flood");
      return;
    }
    if (!takePieces(params)) {
      LOG.info("[{}] closing a long-polling session: {}", id, segments.broken());
      LongPollEndpoint.answer(response, 200, LongPollScripts.JAVASCRIPT, LongPollScripts.close(callback, 0));
      close("bad segments");
      return;
    }
    long serial = LongPollEndpoint.number(params.get("ser"), 0);
    if (heldPoll != null) {
      HttpServerResponse older = heldPoll;
      long olderSerial = heldSerial;
      heldPoll = null;
      answerWithQueued(older);
      if (serial < olderSerial) { // polls crossed on the way: release both, the client sends a fresh one
        answerWithQueued(response);
        return;
      }
    }
    heldPoll = response;
    heldSerial = serial;
    heldSinceNanos = System.nanoTime();
    response.closeHandler(v -> onContext(() -> {
      if (heldPoll == response) {
        heldPoll = null;
        pollDropped = true;
        lastRequestNanos = System.nanoTime();
      }
    }));
    flush();
    drain();
  }

  /** The client's disconnect frame says it is leaving: end now (unless it switched to WebSocket, which now rules). */
  void onDisconnect() {
    if (transport.switched()) {
      return;
    }
    LOG.debug("[{}] the long-polling client said it is leaving", id);
    close("client left");
  }

  /** False if the pieces broke the session. */
  private boolean takePieces(Map<String, String> params) {
    for (int i = 0; ; i++) {
      String seg = params.get("seg" + i);
      if (seg == null) {
        return segments.broken() == null;
      }
      long number = LongPollEndpoint.number(seg, -1);
      long total = LongPollEndpoint.number(params.get("ts" + i), -1);
      for (LongPollSegments.Message m : segments.accept(number, (int) Math.min(Integer.MAX_VALUE, total),
          params.get("d" + i))) {
        if (m.error() != null) {
          inbox.addLast(new Unusable(null, ErrorCode.INVALID_DATA, m.error()));
        } else if (m.text().length() > maxMessageChars) {
          inbox.addLast(MessageParser.tooBig(m.text().substring(0, Frames.MAX_PIECE_CHARS), maxMessageChars));
        } else {
          inbox.addLast(m.text());
        }
      }
      if (segments.broken() != null) {
        return false;
      }
    }
  }

  // ---- the WebSocket taking over

  /** A socket opened with {@code s=<this session>}: attach it, unless one already is or the session is ending. */
  boolean attach(ServerWebSocket ws) {
    if (closing || pollsClosed || webSocket != null || transport.switched()) {
      return false;
    }
    webSocket = ws;
    webSocketFrames = new FrameAssembler(maxMessageChars);
    webSocketActivityNanos = System.nanoTime();
    ws.textMessageHandler(frame -> onContext(() -> onSocketFrame(ws, frame)));
    ws.binaryMessageHandler(frame -> onContext(() -> webSocketActivityNanos = System.nanoTime()));
    ws.exceptionHandler(e -> onContext(() -> {
      LOG.debug("[{}] WebSocket failed: {}", id, e.toString());
      ws.close();
      onSocketClosed(ws);
    }));
    ws.closeHandler(v -> onContext(() -> onSocketClosed(ws)));
    ws.writeTextMessage(SWITCH_ACK);
    LOG.debug("[{}] a WebSocket is taking over the long-polling session", id);
    if (ws.isClosed()) {
      onSocketClosed(ws);
    }
    return true;
  }

  private void onSocketFrame(ServerWebSocket ws, String frame) {
    if (ws != webSocket || closing) {
      return;
    }
    webSocketActivityNanos = System.nanoTime();
    if (!floodBudget.tryAcquire()) {
      limits.floodClosed();
      LOG.info("[{}] closing a flooding connection: {}", id, limits.floodCloseReason());
      ws.close((short) 1008, limits.floodCloseReason());
      return;
    }
    FrameAssembler.Message message = webSocketFrames.accept(frame);
    if (message == null) {
      return;
    }
    if (message.refusal() != null) {
      notice(message.refusal());
      return;
    }
    metrics.webSocketMessageIn(message.frames());
    Object item = message.truncated() ? MessageParser.tooBig(message.text(), maxMessageChars) : message.text();
    if (transport.switched()) {
      inbox.addLast(item);
      drain();
      return;
    }
    // Before the switch: answer the client's health pings here, keep its data for after the long-polling messages.
    if (item instanceof String text && text.length() <= MessageInbox.INLINE_PARSE_CHARS) {
      ClientMessage parsed = MessageInbox.parse(id, text);
      if (parsed instanceof Control c) {
        if (c.type().equals("p")) {
          ws.writeTextMessage(WireFormat.write(new Outbound.Pong()));
        }
        return; // "a": the client took the switch; it ends long-polling with "n" next
      }
      item = parsed;
    }
    early.add(item);
  }

  private void onSocketClosed(ServerWebSocket ws) {
    if (ws != webSocket) {
      return;
    }
    if (transport.switched()) {
      LOG.debug("[{}] WebSocket closed ({})", id, ws.closeStatusCode() == null ? "no close frame"
          : "code " + ws.closeStatusCode());
      close("socket closed");
    } else {
      LOG.debug("[{}] the WebSocket closed before the switch; long-polling goes on", id);
      webSocket = null;
      early.clear();
    }
  }

  /** The client's {@code n} over long-polling: from here on, the socket is the connection. */
  private void onEndOfTransmission() {
    if (webSocket == null || transport.switched()) {
      LOG.debug("[{}] ignoring an end of transmission without a WebSocket to switch to", id);
      return;
    }
    transport.switchTo(new WsTransport(webSocket, metrics, () -> webSocketActivityNanos = System.nanoTime()));
    for (int i = early.size() - 1; i >= 0; i--) {
      inbox.addFirst(early.get(i));
    }
    early.clear();
    LOG.debug("[{}] switched from long-polling to WebSocket", id);
  }

  // ---- downstream

  private void scheduleFlush() {
    if (flushScheduled.compareAndSet(false, true)) {
      context.runOnContext(v -> {
        flushScheduled.set(false);
        flush();
      });
    }
  }

  private void flush() {
    if (heldPoll != null && transport.hasQueued()) {
      HttpServerResponse poll = heldPoll;
      heldPoll = null;
      answerWithQueued(poll);
    }
  }

  private void answerWithQueued(HttpServerResponse poll) {
    String script = pollsClosed ? closeScript() : dataScript();
    LongPollEndpoint.answer(poll, 200, LongPollScripts.JAVASCRIPT, script.isEmpty() ? LongPollScripts.KEEPALIVE
        : script);
  }

  /** The queued messages as a numbered answer ("" when none); after the end of transmission, the close command. */
  private String dataScript() {
    List<String> messages = transport.take(MAX_ANSWER_CHARS);
    if (messages.isEmpty()) {
      return "";
    }
    long n = nextAnswer++;
    String script = LongPollScripts.data(callback, n, messages);
    if (transport.switched() && !transport.hasQueued()) {
      pollsClosed = true; // "n" went with this answer: the client closes long-polling once it has taken it
      script += LongPollScripts.close(callback, n);
    }
    return script;
  }

  /** The close command: after the last numbered answer once the client switched, else at once. */
  private String closeScript() {
    return LongPollScripts.close(callback, pollsClosed ? nextAnswer - 1 : 0);
  }

  private void tick() {
    long now = System.nanoTime();
    if (transport.switched()) {
      if (heldPoll != null && !pollsClosed) {
        flush();
      }
      if (wsIdleTimeoutMs > 0 && now - webSocketActivityNanos > TimeUnit.MILLISECONDS.toNanos(wsIdleTimeoutMs)) {
        LOG.debug("[{}] closing after {} ms without traffic", id, wsIdleTimeoutMs);
        webSocket.close((short) 1000, "idle");
        close("idle");
      }
      return;
    }
    if (heldPoll != null) {
      if (now - heldSinceNanos > TimeUnit.MILLISECONDS.toNanos(POLL_HOLD_MS)) {
        HttpServerResponse poll = heldPoll;
        heldPoll = null;
        lastRequestNanos = now;
        answerWithQueued(poll);
      }
      return;
    }
    long limit = pollDropped ? DROPPED_POLL_GRACE_MS : IDLE_MS;
    if (now - lastRequestNanos > TimeUnit.MILLISECONDS.toNanos(limit)) {
      LOG.debug("[{}] closing a long-polling session after {} ms without a poll", id, limit);
      close("no poll");
    }
  }

  // ---- upstream, in order

  private void drain() {
    inbox.drain();
  }

  /** After each pass over the inbox: finish a closing session once everything received was acted on. */
  private void afterDrain() {
    if (closing && inbox.idle()) {
      finish();
    }
  }

  private void handle(ClientMessage message) {
    if (message instanceof Control c && (c.type().equals("n") || c.type().equals("a"))) {
      if (c.type().equals("n") && !closing) {
        onEndOfTransmission();
      }
      return;
    }
    ClientMessage admitted = admission.admit(message);
    if (admitted == null) {
      return;
    }
    if (admitted instanceof Unusable bad && bad.r() == null) {
      LOG.debug("[{}] error notice: {}", id, bad.message());
      backend.send(new WireFormat.Notice(bad.message()));
      return;
    }
    try {
      session.handle(admitted);
    } catch (RuntimeException e) {
      LOG.error("[{}] handling a message failed", id, e);
    }
  }

  private void notice(String message) {
    if (admission.tryNotice()) {
      backend.send(new WireFormat.Notice(message));
    } else {
      limits.messageThrottled();
    }
  }

  // ---- the end

  /** Ends the session: what was received is acted on, then the on-disconnect writes run. Idempotent. */
  void close(String why) {
    if (closing) {
      return;
    }
    closing = true;
    LOG.debug("[{}] long-polling session closing: {}", id, why);
    if (timer >= 0) {
      context.owner().cancelTimer(timer);
    }
    if (heldPoll != null) {
      HttpServerResponse poll = heldPoll;
      heldPoll = null;
      LongPollEndpoint.answer(poll, 200, LongPollScripts.JAVASCRIPT, closeScript());
    }
    if (webSocket != null && !webSocket.isClosed()) {
      webSocket.close();
    }
    drain();
  }

  private void finish() {
    if (finished) {
      return;
    }
    finished = true;
    transport.end();
    if (session != null) {
      session.close();
    }
    onFinished.run();
    LOG.debug("[{}] long-polling session closed", id);
  }
}
