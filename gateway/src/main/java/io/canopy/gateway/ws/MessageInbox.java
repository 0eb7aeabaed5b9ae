package io.canopy.gateway.ws;

import io.canopy.core.error.ErrorCode;
import io.canopy.gateway.ws.ClientMessage.Unusable;
import io.vertx.core.Context;
import java.util.ArrayDeque;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection's received messages, handled strictly in arrival order whatever the transport: short texts are
 * parsed on the connection's loop, long ones on a worker (a 16 MB message would stall the loop) while later ones
 * wait. Items are texts still to parse or messages already parsed. Loop thread only.
 */
final class MessageInbox {
  private static final Logger LOG = LoggerFactory.getLogger(MessageInbox.class);
  /** Texts up to this long are parsed on the event loop; longer ones on a worker. */
  static final int INLINE_PARSE_CHARS = 64 * 1024;

  private final String id;
  private final Context context;
  private final Consumer<ClientMessage> handler;
  private final Runnable afterDrain;
  /** Small at first (an idle connection holds nothing here); grows like any ArrayDeque. */
  private final ArrayDeque<Object> items = new ArrayDeque<>(4);
  private boolean parsing;

  /**
   * @param handler acts on each message, in order
   * @param afterDrain runs after each drain pass (resume reading, finish a closing connection, ...)
   */
  MessageInbox(String id, Context context, Consumer<ClientMessage> handler, Runnable afterDrain) {
    this.id = id;
    this.context = context;
    this.handler = handler;
    this.afterDrain = afterDrain;
  }

  /** Queues a text or a parsed message after everything received before it. */
  void addLast(Object item) {
    items.addLast(item);
  }

  /** Queues a text or a parsed message ahead of everything waiting (what arrived earlier elsewhere). */
  void addFirst(Object item) {
    items.addFirst(item);
  }

  int size() {
    return items.size();
  }

  /** True when nothing waits and nothing is being parsed. */
  boolean idle() {
    return !parsing && items.isEmpty();
  }

  /** Handles what can be handled now, in order; a long text pauses the pass until its worker is done. */
  void drain() {
    while (!parsing && !items.isEmpty()) {
      Object next = items.pollFirst();
      if (next instanceof ClientMessage ready) {
        handler.accept(ready);
      } else if (((String) next).length() <= INLINE_PARSE_CHARS) {
        handler.accept(parse(id, (String) next));
      } else {
        String text = (String) next;
        parsing = true;
        context.executeBlocking(() -> parse(id, text), false).onComplete(parsed -> {
          parsing = false;
          if (parsed.succeeded()) {
            handler.accept(parsed.result());
          } else {
            LOG.error("[{}] parsing a message failed", id, parsed.cause());
          }
          drain();
        });
      }
    }
    afterDrain.run();
  }

  /** Parses one message; a parser bug becomes an error answer rather than a lost connection. */
  static ClientMessage parse(String id, String text) {
    try {
      return MessageParser.parse(text);
    } catch (RuntimeException e) {
      LOG.error("[{}] cannot parse a message", id, e);
      return new Unusable(null, ErrorCode.INTERNAL, "Internal server error: the message could not be parsed");
    }
  }
}
