package io.canopy.gateway.ws;

import io.canopy.core.error.ErrorCode;
import io.canopy.gateway.health.GatewayMetrics;
import io.vertx.core.Context;
import io.vertx.core.http.ServerWebSocket;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Vert.x side of one open {@code /.ws} connection: frames in (re-assembled by a {@link FrameAssembler}, parsed by
 * the {@link MessageParser}, handed to the {@link WsSession} strictly in arrival order), the idle timer, and the end
 * of the connection, however it comes.
 *
 * <p>Messages up to 64 K characters are parsed on the event loop; longer ones on a worker thread, and the messages
 * behind them wait (the socket is paused when too many do), so order is kept. When the socket closes, the messages
 * already received are still acted on (a write sent just before closing is applied); then the session closes,
 * which runs the on-disconnect writes. Everything here runs on the connection's event loop.
 */
final class WsConnection {
  private static final Logger LOG = LoggerFactory.getLogger(WsConnection.class);
  private static final int INLINE_PARSE_CHARS = 64 * 1024;
  /** Messages waiting behind a worker parse before the socket stops reading. */
  private static final int MAX_WAITING = 32;

  private final String id;
  private final ServerWebSocket ws;
  private final Context context;
  private final GatewayMetrics metrics;
  private final FrameAssembler assembler;
  private final int maxMessageChars;
  private final Runnable onFinished;
  /** Raw message texts and ready-made {@link ClientMessage}s, in arrival order. */
  private final ArrayDeque<Object> inbox = new ArrayDeque<>();
  private WsSession session;
  private volatile long lastActivityNanos = System.nanoTime();
  private long idleTimer = -1;
  private boolean parsing;
  private boolean paused;
  private boolean closing;
  private boolean finished;

  /**
   * @param onFinished called once the session has closed (to forget the connection)
   */
  WsConnection(String id, ServerWebSocket ws, Context context, GatewayMetrics metrics, int maxMessageChars,
      Runnable onFinished) {
    this.id = id;
    this.ws = ws;
    this.context = context;
    this.metrics = metrics;
    this.maxMessageChars = maxMessageChars;
    this.assembler = new FrameAssembler(maxMessageChars);
    this.onFinished = onFinished;
  }

  String id() {
    return id;
  }

  /** Marks traffic in either direction; any thread. */
  void touch() {
    lastActivityNanos = System.nanoTime();
  }

  /** Starts reading with {@code session}; closes the connection after {@code idleTimeoutMs} of silence (0 = never). */
  void start(WsSession session, long idleTimeoutMs) {
    this.session = session;
    ws.textMessageHandler(this::onFrame);
    ws.binaryMessageHandler(b -> LOG.debug("[{}] ignoring a binary message of {} bytes", id, b.length()));
    ws.exceptionHandler(e -> {
      LOG.debug("[{}] WebSocket failed: {}", id, e.toString());
      ws.close();
      onClosed();
    });
    ws.closeHandler(v -> onClosed());
    if (idleTimeoutMs > 0) {
      long idleNanos = TimeUnit.MILLISECONDS.toNanos(idleTimeoutMs);
      idleTimer = context.owner().setPeriodic(Math.max(250, idleTimeoutMs / 4), t -> {
        if (System.nanoTime() - lastActivityNanos > idleNanos) {
          LOG.debug("[{}] closing after {} ms without traffic", id, idleTimeoutMs);
          ws.close((short) 1000, "idle");
          onClosed();
        }
      });
    }
    if (ws.isClosed()) {
      onClosed();
    }
  }

  /** Closes the socket (e.g. the client reconnected, naming this session as its last one). Any thread. */
  void close() {
    ws.close();
  }

  private void onFrame(String frame) {
    touch();
    if (closing) {
      return;
    }
    FrameAssembler.Message message = assembler.accept(frame);
    if (message == null) {
      return;
    }
    metrics.webSocketMessageIn(message.frames());
    inbox.addLast(message.truncated() ? MessageParser.tooBig(message.text(), maxMessageChars) : message.text());
    if (inbox.size() > MAX_WAITING && !paused) {
      paused = true;
      ws.pause();
    }
    drain();
  }

  private void drain() {
    while (!parsing && !inbox.isEmpty()) {
      Object next = inbox.pollFirst();
      if (next instanceof ClientMessage ready) {
        handle(ready);
      } else if (((String) next).length() <= INLINE_PARSE_CHARS) {
        handle(parse((String) next));
      } else {
        String text = (String) next;
        parsing = true;
        context.executeBlocking(() -> parse(text), false).onComplete(parsed -> {
          parsing = false;
          if (parsed.succeeded()) {
            handle(parsed.result());
          } else {
            LOG.error("[{}] parsing a message failed", id, parsed.cause());
          }
          drain();
        });
      }
    }
    if (paused && !closing && inbox.size() <= MAX_WAITING / 2) {
      paused = false;
      ws.resume();
    }
    if (closing && !parsing && inbox.isEmpty()) {
      finish();
    }
  }

  private ClientMessage parse(String text) {
    try {
      return MessageParser.parse(text);
    } catch (RuntimeException e) { // a parser bug: answer nothing rather than lose the connection
      LOG.error("[{}] cannot parse a message", id, e);
      return new ClientMessage.Unusable(null, ErrorCode.INTERNAL, e.toString());
    }
  }

  private void handle(ClientMessage message) {
    try {
      session.handle(message);
    } catch (RuntimeException e) {
      LOG.error("[{}] handling a message failed", id, e);
    }
  }

  /** The socket is gone: act on what was received, then close the session. Idempotent. */
  private void onClosed() {
    if (closing) {
      return;
    }
    closing = true;
    if (idleTimer >= 0) {
      context.owner().cancelTimer(idleTimer);
    }
    drain();
  }

  private void finish() {
    if (finished) {
      return;
    }
    finished = true;
    session.close();
    metrics.webSocketClosed();
    onFinished.run();
    LOG.debug("[{}] connection closed ({}{})", id, ws.closeStatusCode() == null ? "no close frame" : "code "
        + ws.closeStatusCode(), ws.closeReason() == null ? "" : ", " + ws.closeReason());
  }
}
