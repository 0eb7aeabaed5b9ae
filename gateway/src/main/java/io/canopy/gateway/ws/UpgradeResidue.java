package io.canopy.gateway.ws;

import io.netty.channel.Channel;
import io.vertx.core.net.impl.VertxConnection;
import io.vertx.core.net.impl.VertxHandler;
import java.lang.reflect.Field;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trims what Vert.x 5.1 keeps for every upgraded WebSocket, about 11.5 KB of the ~18 KB heap an idle connection
 * cost (measured with class histograms and a heap dump of 2,000 idle connections; see scenario d in
 * {@code docs/benchmarks.md}). Neither is configurable, so both are done by reflection, once per socket,
 * on its event loop right after the upgrade, and each is skipped (with one warning) if Vert.x no longer looks the
 * way this expects:
 *
 * <ol>
 *   <li><b>The HTTP/1 connection the socket was upgraded from.</b> The WebSocket's {@link VertxHandler} keeps
 *       the factory that created its connection for as long as the socket lives, and that lambda captures the
 *       HTTP/1 connection and the upgrade request: the connection's outbound queue (a JCTools MPSC queue with a
 *       1,024-slot first chunk, ~4.7 KB), the request and response with their headers and the Netty request (~2.5 KB
 *       more). The factory is only called when the handler is added to the pipeline, which has happened by the time
 *       the upgrade completes, so it is replaced by one that fails if it were ever called again.
 *   <li><b>The WebSocket connection's outbound queue.</b> Vert.x gives every connection an unbounded JCTools MPSC
 *       queue whose first chunk has 1,024 slots (~4.7 KB with the queue's padding), although an idle socket holds
 *       nothing in it. While it is still empty (nothing was written yet, and we are on the only thread that could
 *       write at this point) it is swapped for a {@link ConcurrentLinkedQueue} (~50 bytes empty): also unbounded,
 *       lock-free and safe for many producers and one consumer, which is all Vert.x's message queue uses (it only
 *       calls {@code add} and {@code poll}). Flow control is unchanged: the write-queue limits are counted by
 *       Vert.x around the queue, not by it.
 * </ol>
 */
final class UpgradeResidue {
  private static final Logger LOG = LoggerFactory.getLogger(UpgradeResidue.class);
  private static final Function<Object, Object> SPENT = ctx -> {
    throw new IllegalStateException("the WebSocket connection was already created");
  };

  private static final Field CONNECTION_FACTORY = field(VertxHandler.class, "connectionFactory");
  private static final Field OUTBOUND_QUEUE = field(VertxConnection.class, "outboundMessageQueue");
  private static final Field MESSAGE_QUEUE = field("io.vertx.core.internal.concurrent.OutboundMessageQueue", "mqp");
  private static final Field QUEUE = field("io.vertx.core.streams.impl.MessagePassingQueue", "queue");

  private static volatile boolean warned;

  private UpgradeResidue() {
  }

  /**
   * Call on the channel's event loop once its WebSocket upgrade completed and before anything was written to the
   * socket. Does nothing elsewhere.
   *
   * @return how many of the two trims were applied (0–2)
   */
  static int trim(Channel channel) {
    if (channel == null || !channel.eventLoop().inEventLoop()) {
      return 0;
    }
    VertxHandler<?> handler = channel.pipeline().get(VertxHandler.class);
    if (handler == null) {
      return 0;
    }
    int done = 0;
    try {
      if (CONNECTION_FACTORY != null && handler.getConnection() != null) {
        CONNECTION_FACTORY.set(handler, SPENT);
        done++;
      }
      if (OUTBOUND_QUEUE != null && MESSAGE_QUEUE != null && QUEUE != null && handler.getConnection() != null) {
        Object outbound = OUTBOUND_QUEUE.get(handler.getConnection());
        if (MESSAGE_QUEUE.getDeclaringClass().isInstance(outbound)) {
          Object mpsc = MESSAGE_QUEUE.get(outbound);
          if (QUEUE.getDeclaringClass().isInstance(mpsc) && QUEUE.get(mpsc) instanceof Queue<?> queue
              && !(queue instanceof ConcurrentLinkedQueue) && queue.isEmpty()) {
            QUEUE.set(mpsc, new ConcurrentLinkedQueue<>());
            done++;
          }
        }
      }
    } catch (ReflectiveOperationException | RuntimeException e) {
      warn(e.toString());
    }
    return done;
  }

  private static Field field(String className, String name) {
    try {
      return field(Class.forName(className, false, UpgradeResidue.class.getClassLoader()), name);
    } catch (ClassNotFoundException | LinkageError e) {
      warn(e.toString());
      return null;
    }
  }

  private static Field field(Class<?> type, String name) {
    try {
      Field f = type.getDeclaredField(name);
      f.setAccessible(true);
      return f;
    } catch (ReflectiveOperationException | RuntimeException e) {
      warn(e.toString());
      return null;
    }
  }

  private static void warn(String why) {
    if (!warned) {
      warned = true;
      LOG.warn("Cannot trim the per-WebSocket state Vert.x keeps (each idle connection costs ~11 KB more heap): {}",
          why);
    }
  }
}
