package io.canopy.gateway.ws;

import java.util.ArrayList;
import java.util.List;

/**
 * The sending half of the v5 framing: a message longer than {@value #MAX_PIECE_CHARS} characters goes out as a
 * frame holding only its decimal piece count, then the pieces in order. Pieces end on code-point boundaries (never
 * between the halves of a surrogate pair), so each piece is valid UTF-16 on its own and at most 49,152 UTF-8 bytes:
 * well under the Java SDK's 64 KiB frame limit. The count is never {@code 0} (which would wedge the JS client).
 */
final class Frames {
  /** The longest piece, in UTF-16 characters, as both SDKs send and expect. */
  static final int MAX_PIECE_CHARS = 16_384;

  private Frames() {}

  /** The frames that carry {@code message}: the message itself, or a count frame followed by the pieces. */
  static List<String> split(String message) {
    return split(message, MAX_PIECE_CHARS);
  }

  static List<String> split(String message, int maxPieceChars) {
    if (maxPieceChars < 2) {
      throw new IllegalArgumentException("a piece must hold a surrogate pair: " + maxPieceChars);
    }
    int length = message.length();
    if (length <= maxPieceChars) {
      return List.of(message);
    }
    List<String> pieces = new ArrayList<>(length / (maxPieceChars - 1) + 2);
    pieces.add(""); // the count, filled in below
    int start = 0;
    while (start < length) {
      int end = Math.min(start + maxPieceChars, length);
      if (end < length && Character.isHighSurrogate(message.charAt(end - 1))
          && Character.isLowSurrogate(message.charAt(end))) {
        end--; // keep the pair together: this piece is one character shorter
      }
      pieces.add(message.substring(start, end));
      start = end;
    }
    pieces.set(0, Integer.toString(pieces.size() - 1));
    return pieces;
  }
}
