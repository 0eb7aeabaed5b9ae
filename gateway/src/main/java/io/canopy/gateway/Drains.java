package io.canopy.gateway;

import io.vertx.core.streams.WriteStream;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/** The pusher's "call me when writable again" on a Vert.x write stream (a WebSocket or an SSE response). */
public final class Drains {
  private Drains() {}

  /**
   * Runs {@code callback} once, when {@code stream} drains. If it already drained before the handler was in place
   * (that drain event is gone), or {@code nothingMoreWillDrain} says the stream is finished, it runs at once.
   */
  public static void onDrained(WriteStream<?> stream, BooleanSupplier nothingMoreWillDrain, Runnable callback) {
    AtomicBoolean fired = new AtomicBoolean();
    Runnable once = () -> {
      if (fired.compareAndSet(false, true)) {
        callback.run();
      }
    };
    try {
      stream.drainHandler(v -> once.run());
      if (!stream.writeQueueFull() || nothingMoreWillDrain.getAsBoolean()) {
        once.run();
      }
    } catch (IllegalStateException closed) {
      // Closed meanwhile (Vert.x refuses handlers on a closed socket): nothing will drain any more, and the
      // stream's close handler ends the session, so the callback must not run (it would only wait again).
    }
  }
}
