package io.canopy.gateway.ws;

import io.canopy.gateway.Drains;
import io.canopy.gateway.health.GatewayMetrics;
import io.canopy.pusher.DataPush;
import io.canopy.pusher.SessionTransport;
import io.vertx.core.http.ServerWebSocket;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pusher's end of one {@code /.ws} connection: each item becomes one protocol message, serialised once and sent
 * as text frames only (split into pieces when long). Never pings, pongs or binary frames: the Java SDK drops the
 * connection on any frame type but text and close. Called by one delivery thread at a time; Vert.x hands the
 * frames to the connection's event loop in order.
 */
final class WsTransport implements SessionTransport {
  private static final Logger LOG = LoggerFactory.getLogger(WsTransport.class);

  private final ServerWebSocket ws;
  private final GatewayMetrics metrics;
  private final Runnable onActivity;

  /** @param onActivity called after each message sent (the idle timer's clock) */
  WsTransport(ServerWebSocket ws, GatewayMetrics metrics, Runnable onActivity) {
    this.ws = ws;
    this.metrics = metrics;
    this.onActivity = onActivity;
  }

  @Override
  public void write(Object item) {
    if (ws.isClosed()) {
      return;
    }
    List<String> frames;
    try {
      frames = item instanceof DataPush push ? SharedPushes.frames(push) : Frames.split(
          AccessPushes.handles(item) ? AccessPushes.write(item) : WireFormat.write(item));
    } catch (RuntimeException e) {
      LOG.error("Cannot serialise {} for a WebSocket client; skipped", item.getClass().getSimpleName(), e);
      return;
    }
    for (String frame : frames) {
      ws.writeTextMessage(frame); // a failure means the socket closed: its close handler cleans up
    }
    metrics.webSocketMessageOut(frames.size());
    onActivity.run();
  }

  @Override
  public boolean writable() {
    try {
      return !ws.isClosed() && !ws.writeQueueFull();
    } catch (IllegalStateException e) {
      return false; // closed meanwhile: its close handler cleans up
    }
  }

  @Override
  public void onWritable(Runnable callback) {
    Drains.onDrained(ws, () -> false, callback);
  }

  /**
   * The frames of recent data pushes, serialised once for every connection they go to: the pusher queues one
   * {@link DataPush} instance to every listener of a view (untagged listens share it), so a change pushed to N
   * connections is rendered once instead of N times. Direct-mapped by identity and bounded (at most {@value #SLOTS}
   * messages of up to {@value #MAX_CACHED_CHARS} characters are kept); a miss only costs a serialisation, and a
   * push is immutable, so a hit is exactly what serialising it again would give.
   */
  static final class SharedPushes {
    static final int SLOTS = 64;
    static final int MAX_CACHED_CHARS = 64 * 1024;
    private static final AtomicReferenceArray<Entry> RECENT = new AtomicReferenceArray<>(SLOTS);

    private record Entry(DataPush push, List<String> frames) {}

    private SharedPushes() {}

    static List<String> frames(DataPush push) {
      int slot = System.identityHashCode(push) & (SLOTS - 1);
      Entry e = RECENT.getAcquire(slot);
      if (e != null && e.push == push) {
        return e.frames;
      }
      String text = WireFormat.write(push);
      List<String> frames = Frames.split(text);
      if (text.length() <= MAX_CACHED_CHARS) {
        RECENT.setRelease(slot, new Entry(push, frames));
      }
      return frames;
    }
  }

}
