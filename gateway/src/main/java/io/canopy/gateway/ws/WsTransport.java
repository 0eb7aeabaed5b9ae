package io.canopy.gateway.ws;

import io.canopy.gateway.Drains;
import io.canopy.gateway.health.GatewayMetrics;
import io.canopy.pusher.SessionTransport;
import io.vertx.core.http.ServerWebSocket;
import java.util.List;
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
    String text;
    try {
      text = AccessPushes.handles(item) ? AccessPushes.write(item) : WireFormat.write(item);
    } catch (RuntimeException e) {
      LOG.error("Cannot serialise {} for a WebSocket client; skipped", item.getClass().getSimpleName(), e);
      return;
    }
    List<String> frames = Frames.split(text);
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

}
