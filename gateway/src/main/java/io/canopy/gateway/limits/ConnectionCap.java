package io.canopy.gateway.limits;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

/**
 * The cap on open realtime connections of one gateway: WebSockets (counted here, from admission to close) plus
 * REST event streams (counted by their registry, see {@link #countStreams}). Thread-safe.
 */
public final class ConnectionCap {
  private final int max;
  private final AtomicInteger webSockets = new AtomicInteger();
  private volatile IntSupplier streams = () -> 0;

  /** @param max the most connections open at once; 0 = no cap */
  public ConnectionCap(int max) {
    if (max < 0) {
      throw new IllegalArgumentException("limits: max connections must be >= 0: " + max);
    }
    this.max = max;
  }

  /** Where the number of open event streams comes from (by default none are counted). */
  public void countStreams(IntSupplier openStreams) {
    this.streams = openStreams == null ? () -> 0 : openStreams;
  }

  /**
   * Admits one more WebSocket if the cap allows it; the caller must call {@link #webSocketClosed} exactly once
   * for every {@code true}.
   */
  public boolean tryOpenWebSocket() {
    while (true) {
      int current = webSockets.get();
      if (max > 0 && current + streams.getAsInt() >= max) {
        return false;
      }
      if (webSockets.compareAndSet(current, current + 1)) {
        return true;
      }
    }
  }

  /** A WebSocket admitted by {@link #tryOpenWebSocket} has closed (or never opened). */
  public void webSocketClosed() {
    webSockets.decrementAndGet();
  }

  /** True if one more event stream fits (streams are counted once open, so this is checked on admission). */
  public boolean admitsStream() {
    return max == 0 || webSockets.get() + streams.getAsInt() < max;
  }

  /** Open WebSockets plus open event streams. */
  public int open() {
    return webSockets.get() + streams.getAsInt();
  }

  public int max() {
    return max;
  }

  /** The error text of a refused connection. */
  public String refusal() {
    return "Too many connections: this server accepts at most " + max
        + " realtime connections (WebSockets and event streams); retry later";
  }
}
