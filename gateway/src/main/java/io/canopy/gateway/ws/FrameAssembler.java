package io.canopy.gateway.ws;

/**
 * The receiving half of the v5 framing, for one connection. When no message is in progress, a frame of at most six
 * characters that parses as a number is a piece count (both SDKs' rule): a positive integer announces that many
 * pieces, anything else ({@code 0}, the clients' keepalive, included) is ignored. Every other frame is a whole
 * message. Pieces are concatenated as received, so a surrogate pair a client cut in two is whole again.
 *
 * <p>Memory is bounded: characters past {@code maxMessageChars} are not kept. Such a message still completes (after
 * its last piece) but comes back {@linkplain Message#truncated() truncated} to its first piece, which is enough to
 * find its request number and answer {@code too_big}. A count announcing more pieces than a message of the longest
 * allowed length needs (twice that, for clients splitting finer than the SDKs) is refused: it comes back as a
 * {@linkplain Message#refusal() refusal} and the frames after it are whole messages again, so a client can't make
 * the connection swallow everything it sends afterwards. Not thread-safe: one connection's frames arrive in order on
 * its event loop.
 */
final class FrameAssembler {
  private static final int MAX_COUNT_FRAME_CHARS = 6;

  /**
   * A complete message.
   *
   * @param text the message, or only its first piece when truncated
   * @param frames how many pieces carried it (1 when it was not split)
   * @param truncated true if it was longer than allowed
   * @param refusal when not null, no message: a count frame was refused, and this says why
   */
  record Message(String text, int frames, boolean truncated, String refusal) {
    Message(String text, int frames, boolean truncated) {
      this(text, frames, truncated, null);
    }

    static Message refused(String why) {
      return new Message(null, 1, false, why);
    }
  }

  private final int maxMessageChars;
  private final int maxPieces;
  private StringBuilder pending;
  private int expected;
  private int received;
  private boolean overflow;

  FrameAssembler(int maxMessageChars) {
    this.maxMessageChars = maxMessageChars;
    long needed = ((long) maxMessageChars + Frames.MAX_PIECE_CHARS - 1) / Frames.MAX_PIECE_CHARS;
    this.maxPieces = (int) Math.min(Integer.MAX_VALUE, Math.max(16, 2 * needed));
  }

  /** The largest piece count accepted. */
  int maxPieces() {
    return maxPieces;
  }

  /**
   * Takes one text frame; returns the message it completes, a refused count, or null (a count, a keepalive, or a
   * middle piece).
   */
  Message accept(String frame) {
    if (pending == null) {
      if (frame.length() <= MAX_COUNT_FRAME_CHARS) {
        Double count = number(frame);
        if (count != null) {
          if (count > maxPieces) {
            return Message.refused("Invalid frame count " + frame.trim() + ": a message has at most " + maxPieces
                + " pieces of " + Frames.MAX_PIECE_CHARS + " characters; the count was ignored");
          }
          startPieces(count);
          return null;
        }
      }
      if (frame.length() > maxMessageChars) {
        return new Message(frame.substring(0, Math.min(frame.length(), Frames.MAX_PIECE_CHARS)), 1, true);
      }
      return new Message(frame, 1, false);
    }
    received++;
    if (!overflow) {
      if (pending.length() + frame.length() > maxMessageChars) {
        overflow = true;
        keepPrefixOnly(frame);
      } else {
        pending.append(frame);
      }
    }
    if (received < expected) {
      return null;
    }
    Message done = new Message(pending.toString(), expected, overflow);
    pending = null;
    overflow = false;
    return done;
  }

  /** True while the pieces of a message are being received. */
  boolean inProgress() {
    return pending != null;
  }

  /** Drops what an oversized message has accumulated but its first {@value Frames#MAX_PIECE_CHARS} characters. */
  private void keepPrefixOnly(String frame) {
    int prefix = Frames.MAX_PIECE_CHARS;
    if (pending.length() < prefix) {
      pending.append(frame, 0, Math.min(frame.length(), prefix - pending.length()));
    }
    pending.setLength(Math.min(pending.length(), prefix));
    pending.trimToSize();
  }

  private void startPieces(double count) {
    if (count < 1 || count != Math.rint(count)) {
      return; // 0 is the keepalive; a negative or fractional count announces nothing
    }
    expected = (int) count;
    received = 0;
    overflow = false;
    pending = new StringBuilder(); // grows with the pieces that really arrive, not with the announcement
  }

  /** The value of a short frame that is a decimal number, else null. */
  private static Double number(String frame) {
    String s = frame.trim();
    if (s.isEmpty()) {
      return 0.0; // as JavaScript's Number("") would have it: a count of 0
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!(c >= '0' && c <= '9' || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E')) {
        return null;
      }
    }
    try {
      return Double.parseDouble(s);
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
