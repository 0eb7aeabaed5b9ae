package io.canopy.gateway.ws;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.TreeMap;

/**
 * The receiving half of long-polling's upstream framing, for one session. The JS client sends each message as the
 * base64url of its UTF-8 bytes ({@code .} as padding), cut into pieces that it numbers across the session from 0
 * ({@code seg}), each piece also carrying how many pieces its message has ({@code ts}). A request carries several
 * pieces ({@code seg<i>}, {@code ts<i>}, {@code d<i>}), and requests may arrive out of order, so pieces are kept by
 * number until the next message is complete; messages come out strictly in the order the client sent them.
 *
 * <p>Memory is bounded: at most {@code maxPending} pieces wait, and a message's pieces may hold at most what its
 * longest allowed text needs. Past either, the session is unusable ({@link #broken()}): the client can't resend.
 * Not thread-safe: used on the session's event loop.
 */
final class LongPollSegments {
  /** What a message decodes to, or why it can't be decoded. */
  record Message(String text, String error) {}

  private record Piece(int total, String data) {}

  private final TreeMap<Long, Piece> pending = new TreeMap<>();
  private final int maxPending;
  private final long maxMessageBase64;
  /** A piece as the SDK cuts them (1,840 characters) with room to spare. */
  private static final int MAX_PIECE_CHARS = 2_048;
  private long next;
  private long pendingChars;
  private String broken;

  /**
   * @param maxMessageChars the longest message text accepted (its base64 may be up to four thirds of three bytes
   *     per character)
   * @param maxPending how many pieces may wait for their message to complete
   */
  LongPollSegments(int maxMessageChars, int maxPending) {
    this.maxPending = maxPending;
    this.maxMessageBase64 = 4L * ((3L * maxMessageChars + 2) / 3) + 4;
  }

  /** Null while usable, else why pieces are no longer accepted. */
  String broken() {
    return broken;
  }

  /**
   * Takes one piece; returns the messages it completes (usually none or one), in order.
   *
   * @param seg the piece's number in the session
   * @param total how many pieces its message has
   * @param data its base64url text
   */
  List<Message> accept(long seg, int total, String data) {
    if (broken != null) {
      return List.of();
    }
    if (total < 1 || seg < 0 || data == null) {
      broken = "Invalid long-polling segment " + seg + " (of " + total + ")";
      return List.of();
    }
    if (seg < next || pending.containsKey(seg)) {
      return List.of(); // a request the browser sent twice
    }
    if (pending.size() >= maxPending) {
      broken = "Too many long-polling segments waiting (" + pending.size() + ")";
      pending.clear();
      return List.of();
    }
    pendingChars += data.length();
    if (pendingChars > maxMessageBase64 + MAX_PIECE_CHARS * (long) maxPending / 8) {
      broken = "Too much long-polling data waiting (" + pendingChars + " characters)";
      pending.clear();
      return List.of();
    }
    pending.put(seg, new Piece(total, data));
    List<Message> done = new ArrayList<>(1);
    while (true) {
      Piece first = pending.get(next);
      if (first == null) {
        return done;
      }
      long base64Chars = 0;
      for (long s = next; s < next + first.total(); s++) {
        Piece p = pending.get(s);
        if (p == null) {
          return done;
        }
        base64Chars += p.data().length();
      }
      StringBuilder base64 = new StringBuilder((int) Math.min(Integer.MAX_VALUE - 8, base64Chars));
      for (long s = next; s < next + first.total(); s++) {
        String piece = pending.remove(s).data();
        pendingChars -= piece.length();
        base64.append(piece);
      }
      next += first.total();
      done.add(base64Chars > maxMessageBase64
          ? new Message(null, "Message too large: the limit is " + maxMessageBase64 + " base64 characters")
          : decode(base64));
    }
  }

  /** The UTF-8 text of a web-safe base64 string ({@code -_}, padding {@code .} or {@code =} or none). */
  static Message decode(CharSequence base64) {
    StringBuilder clean = new StringBuilder(base64.length());
    for (int i = 0; i < base64.length(); i++) {
      char c = base64.charAt(i);
      if (c == '+') {
        clean.append('-'); // a standard alphabet: accepted too
      } else if (c == '/') {
        clean.append('_');
      } else if (c != '.' && c != '=') {
        clean.append(c);
      }
    }
    byte[] bytes;
    try {
      bytes = Base64.getUrlDecoder().decode(clean.toString());
    } catch (IllegalArgumentException e) {
      return new Message(null, "Invalid long-polling data: not base64 (" + e.getMessage() + ")");
    }
    try {
      return new Message(StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString(), null);
    } catch (CharacterCodingException e) {
      return new Message(null, "Invalid long-polling data: not UTF-8");
    }
  }
}
