package io.canopy.gateway.ws;

import io.canopy.pusher.SessionTransport;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pusher's end of one long-polling session: each item becomes one protocol message (the same
 * {@link WireFormat} text a WebSocket carries) queued for the session's next poll. When the client switches to
 * WebSocket, {@link #switchTo} queues the end-of-transmission message {@code n} after everything queued so far and
 * sends every later item on the socket instead, so the client sees each message exactly once and in order.
 *
 * <p>Threads: the pusher writes from one delivery thread at a time; the session takes from its event loop. A lock
 * orders the two. The queue is bounded by {@link #MAX_QUEUED_CHARS}: past it the transport is not writable and the
 * pusher holds items back until a poll takes them.
 */
final class LongPollTransport implements SessionTransport {
  private static final Logger LOG = LoggerFactory.getLogger(LongPollTransport.class);
  /** Queued characters past which the pusher is asked to wait. */
  static final long MAX_QUEUED_CHARS = 4L * 1024 * 1024;
  /** The end of transmission on this transport: {@code {"t":"c","d":{"t":"n","d":{}}}}. */
  static final String END_OF_TRANSMISSION = "{\"t\":\"c\",\"d\":{\"t\":\"n\",\"d\":{}}}";

  private final Object lock = new Object();
  private final ArrayDeque<String> queue = new ArrayDeque<>();
  private final Runnable onQueued;
  private long queuedChars;
  private WsTransport webSocket;
  private boolean ended;
  private Runnable onWritable;

  /** @param onQueued called (any thread, outside the lock) after a message was queued for the polls */
  LongPollTransport(Runnable onQueued) {
    this.onQueued = onQueued;
  }

  @Override
  public void write(Object item) {
    synchronized (lock) {
      if (webSocket != null) {
        webSocket.write(item);
        return;
      }
      if (ended) {
        return;
      }
      String text;
      try {
        text = AccessPushes.handles(item) ? AccessPushes.write(item) : WireFormat.write(item);
      } catch (RuntimeException e) {
        LOG.error("Cannot serialise {} for a long-polling client; skipped", item.getClass().getSimpleName(), e);
        return;
      }
      queue.addLast(text);
      queuedChars += text.length();
    }
    onQueued.run();
  }

  @Override
  public boolean writable() {
    synchronized (lock) {
      if (webSocket != null) {
        return webSocket.writable();
      }
      return ended || queuedChars < MAX_QUEUED_CHARS;
    }
  }

  @Override
  public void onWritable(Runnable callback) {
    boolean now;
    synchronized (lock) {
      if (webSocket != null) {
        webSocket.onWritable(callback);
        return;
      }
      now = ended || queuedChars < MAX_QUEUED_CHARS;
      if (!now) {
        onWritable = callback;
      }
    }
    if (now) {
      callback.run();
    }
  }

  /** True if a poll would carry something. */
  boolean hasQueued() {
    synchronized (lock) {
      return !queue.isEmpty();
    }
  }

  /** True once the end of transmission was queued (the client switched to WebSocket). */
  boolean switched() {
    synchronized (lock) {
      return webSocket != null;
    }
  }

  /**
   * The next messages for a poll: at least one when any is queued, else up to {@code maxChars} characters. Wakes
   * the pusher up if it was waiting for room.
   */
  List<String> take(int maxChars) {
    List<String> out = new ArrayList<>();
    Runnable wake = null;
    synchronized (lock) {
      int chars = 0;
      while (!queue.isEmpty() && (out.isEmpty() || chars + queue.peekFirst().length() <= maxChars)) {
        String next = queue.pollFirst();
        chars += next.length();
        queuedChars -= next.length();
        out.add(next);
      }
      if (onWritable != null && queuedChars < MAX_QUEUED_CHARS) {
        wake = onWritable;
        onWritable = null;
      }
    }
    if (wake != null) {
      wake.run();
    }
    return out;
  }

  /**
   * The client switched to {@code socket}: queues {@code n} for the polls after what is queued, and from now on
   * writes on the socket.
   */
  void switchTo(WsTransport socket) {
    Runnable wake;
    synchronized (lock) {
      queue.addLast(END_OF_TRANSMISSION);
      queuedChars += END_OF_TRANSMISSION.length();
      webSocket = socket;
      wake = onWritable;
      onWritable = null;
    }
    if (wake != null) {
      socket.onWritable(wake);
    }
    onQueued.run();
  }

  /** The session is over: later items are dropped, and a waiting pusher is released. */
  void end() {
    Runnable wake;
    synchronized (lock) {
      ended = true;
      queue.clear();
      queuedChars = 0;
      wake = onWritable;
      onWritable = null;
    }
    if (wake != null) {
      wake.run();
    }
  }
}
