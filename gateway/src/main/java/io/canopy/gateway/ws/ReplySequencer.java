package io.canopy.gateway.ws;

import io.canopy.gateway.ws.Outbound.Reply;
import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * Keeps a connection's replies in request order while requests complete out of order (a get on a worker thread, a
 * listen waiting for its data, a write waiting for its verdict): a slot is reserved when a request arrives, and a
 * finished reply is sent once every earlier one has been. Clients depend on that order (a listen's {@code ok} after
 * its data, transaction retries). Not thread-safe: used on the connection's event loop only.
 */
final class ReplySequencer {
  /** A reserved place in the reply order. */
  static final class Slot {
    private final long r;
    private Reply reply;

    private Slot(long r) {
      this.r = r;
    }

    long r() {
      return r;
    }
  }

  private final Consumer<Reply> out;
  /** Small at first (an idle connection holds nothing here); grows like any ArrayDeque. */
  private final ArrayDeque<Slot> slots = new ArrayDeque<>(4);
  private boolean closed;

  /** @param out where replies go, in order (the session's queue, shared with its data pushes) */
  ReplySequencer(Consumer<Reply> out) {
    this.out = out;
  }

  Slot reserve(long r) {
    Slot slot = new Slot(r);
    if (!closed) {
      slots.addLast(slot);
    }
    return slot;
  }

  /** Fills {@code slot} and sends every reply now first in line. Only a slot's first completion counts. */
  void complete(Slot slot, String status, Object data) {
    if (slot.reply != null || closed) {
      return;
    }
    slot.reply = new Reply(slot.r, status, data);
    while (!slots.isEmpty() && slots.peekFirst().reply != null) {
      out.accept(slots.pollFirst().reply);
    }
  }

  /** Replies reserved and not yet sent. */
  int pending() {
    return slots.size();
  }

  /** Drops what is waiting; later replies go nowhere (the connection is gone). */
  void close() {
    closed = true;
    slots.clear();
  }
}
