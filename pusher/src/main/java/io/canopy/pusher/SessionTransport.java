package io.canopy.pusher;

/**
 * The wire end of one connection (a WebSocket, an SSE stream), implemented by the gateway. The pusher writes a
 * connection's items to it strictly in order, one call at a time (never concurrently), and never blocks on it.
 */
public interface SessionTransport {
  /** Writes one item: a {@link DataPush} the pusher computed, or an item the gateway queued with {@code send}. */
  void write(Object item);

  /** True while the wire takes more without piling up (e.g. Vert.x {@code !writeQueueFull()}). */
  boolean writable();

  /** Asks to be called once, on any thread, when the wire is writable again. */
  void onWritable(Runnable callback);
}
