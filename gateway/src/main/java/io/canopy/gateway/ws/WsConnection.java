package io.canopy.gateway.ws;

import io.canopy.gateway.health.GatewayMetrics;
import io.canopy.gateway.limits.GatewayLimits;
import io.canopy.gateway.limits.TokenBucket;
import io.canopy.gateway.ws.ClientMessage.Unusable;
import io.netty.channel.Channel;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Vert.x side of one open {@code /.ws} connection: frames in (re-assembled by a {@link FrameAssembler}, parsed by
 * the {@link MessageParser}, handed to the {@link WsSession} strictly in arrival order), the connection's limits, the
 * idle timer, and the end of the connection, however it comes.
 *
 * <p>Messages up to 64 K characters are parsed on the event loop; longer ones on a worker thread, and the messages
 * behind them wait (the socket is paused when too many do), so order is kept. Reading also pauses while the socket's
 * write queue is full: a client that does not read its replies can't make the server queue more of them. When the
 * socket closes, the messages already received are still acted on (a write sent just before closing is applied);
 * then the session closes, which runs the on-disconnect writes. Everything here runs on the connection's event loop.
 *
 * <p>Limits ({@link GatewayLimits}): each message takes a token of the connection's message bucket, each write
 * ({@code p}, {@code m}) one of its namespace's; a request over either is answered {@code unavailable} with a
 * "Too many requests" message on its {@code r} (in order, like every reply) and not acted on; a control message or
 * a message without a request number over the rate is dropped. Every frame takes a token of the flood bucket; a
 * connection that empties it is closed with 1008 and a reason (what it sent before is still acted on). Binary frames,
 * refused piece counts and messages without a usable request number are answered with an error notice
 * ({@link WireFormat.Notice}) rather than silence; the connection stays open.
 */
final class WsConnection {
  private static final Logger LOG = LoggerFactory.getLogger(WsConnection.class);
  /** Messages waiting behind a worker parse before the socket stops reading. */
  private static final int MAX_WAITING = 32;
  /** While reading is paused for output: the first check after this long, then doubling up to the maximum. */
  private static final long FIRST_OUTPUT_CHECK_MS = 1;
  private static final long MAX_OUTPUT_CHECK_MS = 50;

  private final String id;
  private final ServerWebSocket ws;
  /** The socket's Netty channel (null if Vert.x did not expose it: then Vert.x's write queue is asked). */
  private final Channel channel;
  private final Context context;
  private final GatewayMetrics metrics;
  private final FrameAssembler assembler;
  private final int maxMessageChars;
  private final GatewayLimits limits;
  private final MessageAdmission admission;
  private final TokenBucket floodBudget;
  private final Runnable onFinished;
  /** Raw message texts and ready-made {@link ClientMessage}s, in arrival order. */
  private final MessageInbox inbox;
  private WsSession session;
  private Consumer<Object> notices = item -> { };
  private volatile long lastActivityNanos = System.nanoTime();
  private long idleTimer = -1;
  private long outputTimer = -1;
  private boolean pausedForInbox;
  private boolean pausedForOutput;
  private boolean paused;
  private boolean flooded;
  private boolean closing;
  private boolean finished;

  /**
   * @param channel the socket's Netty channel, or null
   * @param namespace the namespace the connection writes to (whose write budget its writes take)
   * @param onFinished called once the session has closed (to forget the connection)
   */
  WsConnection(String id, ServerWebSocket ws, Channel channel, Context context, GatewayMetrics metrics,
      int maxMessageChars, GatewayLimits limits, String namespace, Runnable onFinished) {
    this.id = id;
    this.ws = ws;
    this.channel = channel;
    this.context = context;
    this.inbox = new MessageInbox(id, context, this::handle, this::afterDrain);
    this.metrics = metrics;
    this.maxMessageChars = maxMessageChars;
    this.assembler = new FrameAssembler(maxMessageChars);
    this.limits = limits;
    this.admission = new MessageAdmission(limits, namespace);
    this.floodBudget = limits.newFloodBucket();
    this.onFinished = onFinished;
  }

  String id() {
    return id;
  }

  /** Marks traffic in either direction; any thread. */
  void touch() {
    lastActivityNanos = System.nanoTime();
  }

  /**
   * Starts reading with {@code session}; closes the connection after {@code idleTimeoutMs} of silence (0 = never).
   *
   * @param notices queues an item for the client after what is queued already (the session's outbox)
   */
  void start(WsSession session, long idleTimeoutMs, Consumer<Object> notices) {
    this.session = session;
    this.notices = notices;
    ws.textMessageHandler(this::onFrame);
    ws.binaryMessageHandler(this::onBinary);
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
    if (!admitFrame()) {
      return;
    }
    FrameAssembler.Message message = assembler.accept(frame);
    if (message == null) {
      return;
    }
    if (message.refusal() != null) {
      notice(message.refusal());
      return;
    }
    metrics.webSocketMessageIn(message.frames());
    inbox.addLast(message.truncated() ? MessageParser.tooBig(message.text(), maxMessageChars) : message.text());
    if (inbox.size() > MAX_WAITING && !pausedForInbox) {
      pausedForInbox = true;
      updatePause();
    }
    watchOutput();
    drain();
  }

  /** The SDKs never send binary frames: tell the client, and carry on. */
  private void onBinary(Buffer frame) {
    touch();
    if (admitFrame()) {
      notice("Invalid frame: binary WebSocket frames are not supported (" + frame.length()
          + " bytes ignored); send each message as a text frame");
    }
  }

  /** False if the frame must be ignored: the connection is closing, or this frame made it a flood. */
  private boolean admitFrame() {
    if (closing || flooded) {
      return false;
    }
    if (floodBudget.tryAcquire()) {
      return true;
    }
    flooded = true;
    limits.floodClosed();
    String reason = limits.floodCloseReason();
    LOG.info("[{}] closing a flooding connection: {}", id, reason);
    ws.close((short) 1008, reason); // the close handler acts on what was received before, then finishes
    return false;
  }

  /** Sends an error that belongs to no request, if the message budget allows (a flood of mistakes is dropped). */
  private void notice(String message) {
    if (!admission.tryNotice()) {
      limits.messageThrottled();
      return;
    }
    send(new WireFormat.Notice(message));
  }

  private void send(WireFormat.Notice notice) {
    LOG.debug("[{}] error notice: {}", id, notice.message());
    notices.accept(notice);
  }

  private void drain() {
    inbox.drain();
  }

  /** After each pass over the inbox: resume reading once it emptied enough; finish a closing connection. */
  private void afterDrain() {
    if (pausedForInbox && inbox.size() <= MAX_WAITING / 2) {
      pausedForInbox = false;
      updatePause();
    }
    if (closing && inbox.idle()) {
      finish();
    }
  }

  /**
   * Stops reading while the socket can't take what we send, and checks whether it drained: soon at first (the
   * write queue is often full only for a moment, while a burst of replies and pushes is handed to the socket), then
   * less and less often for a client that really reads slowly.
   */
  private void watchOutput() {
    if (pausedForOutput || closing || !writeQueueFull()) {
      return;
    }
    pausedForOutput = true;
    metrics.webSocketReadPaused();
    updatePause();
    checkOutputAfter(FIRST_OUTPUT_CHECK_MS);
  }

  private void checkOutputAfter(long delayMs) {
    outputTimer = context.owner().setTimer(delayMs, t -> {
      outputTimer = -1;
      if (closing || !writeQueueFull()) {
        pausedForOutput = false;
        updatePause();
      } else {
        checkOutputAfter(Math.min(MAX_OUTPUT_CHECK_MS, 2 * delayMs));
      }
    });
  }

  /** Whether the socket's write queue is full; false once it is closed (Vert.x throws then). */
  private boolean writeQueueFull() {
    if (channel != null) {
      // The socket's own buffer (bytes the client has not read yet), not Vert.x's write queue: that one reports
      // "full" at 16 messages handed over from other threads and not yet flushed by the event loop, which a burst
      // of pushes reaches for a moment on every busy connection; pausing reads for it delayed every write behind.
      return channel.isActive() && !channel.isWritable();
    }
    try {
      return !ws.isClosed() && ws.writeQueueFull();
    } catch (IllegalStateException e) {
      return false; // closed meanwhile
    }
  }

  private void updatePause() {
    boolean pause = !closing && (pausedForInbox || pausedForOutput);
    if (pause && !paused) {
      paused = true;
      ws.pause();
    } else if (!pause && paused) {
      paused = false;
      ws.resume();
    }
  }

  private void handle(ClientMessage message) {
    ClientMessage admitted = admission.admit(message);
    if (admitted == null) {
      return;
    }
    if (admitted instanceof Unusable bad && bad.r() == null) {
      send(new WireFormat.Notice(bad.message())); // nobody to answer on a request number: tell the connection
      return;
    }
    try {
      session.handle(admitted);
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
    if (outputTimer >= 0) {
      context.owner().cancelTimer(outputTimer);
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
