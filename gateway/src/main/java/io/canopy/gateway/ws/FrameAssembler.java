package io.canopy.gateway.ws;

/**
 * The receiving half of the v5 framing, for one connection. When no message is in progress, a frame of at most six
 * characters that parses as a number is a piece count (both SDKs' rule): a positive integer announces that many
 * pieces, anything else ({@code 0}, the clients' keepalive, included) is ignored. Every other frame is a whole
 * message. Pieces are concatenated as received, so a surrogate pair a client cut in two is whole again.
 *
 * <p>Memory is bounded: characters past {@code maxMessageChars} are not kept. Such a message still completes (after
 * its last piece) but comes back {@linkplain Message#truncated() truncated} to its first piece, which is enough to
 * find its request number and answer {@code too_big}. Not thread-safe: one connection's frames arrive in order on
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
   */
  record Message(String text, int frames, boolean truncated) {}

  private final int maxMessageChars;
  private StringBuilder pending;
  private int expected;
  private int received;
  private boolean overflow;

  FrameAssembler(int maxMessageChars) {
    this.maxMessageChars = maxMessageChars;
  }

  /** Takes one text frame; returns the message it completes, or null (a count, a keepalive, or a middle piece). */
  Message accept(String frame) {
    if (pending == null) {
      if (frame.length() <= MAX_COUNT_FRAME_CHARS) {
        Double count = number(frame);
        if (count != null) {
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
    pending = new StringBuilder(Math.min(expected, 64) * Frames.MAX_PIECE_CHARS / 4);
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
