package io.canopy.sdk.internal.connection;

import java.util.ArrayList;
import java.util.List;

/**
 * The v5 framing inside the WebSocket (PROTOCOL.md §1.4). Sending: a message longer than {@value #MAX_FRAME_CHARS}
 * characters goes as a frame holding the piece count, then the pieces (cut on code-point boundaries, so no frame
 * exceeds 64 KiB of UTF-8). Receiving: when no message is in progress, a frame of at most six characters that is a
 * number is a piece count (zero, the keepalive, is ignored); any other frame is a whole message. Not thread-safe:
 * one instance per socket, fed in frame order.
 */
public final class FrameCodec {
  /** The largest piece, in UTF-16 units, as both official SDKs send. */
  public static final int MAX_FRAME_CHARS = 16_384;

  private StringBuilder pending;
  private int expected;
  private int received;

  /** The frames that carry {@code message}. */
  public static List<String> split(String message) {
    if (message.length() <= MAX_FRAME_CHARS) {
      return List.of(message);
    }
    List<String> pieces = new ArrayList<>();
    int i = 0;
    while (i < message.length()) {
      int end = Math.min(message.length(), i + MAX_FRAME_CHARS);
      if (end < message.length() && Character.isHighSurrogate(message.charAt(end - 1))) {
        end--; // keep the pair together
      }
      pieces.add(message.substring(i, end));
      i = end;
    }
    List<String> frames = new ArrayList<>(pieces.size() + 1);
    frames.add(Integer.toString(pieces.size()));
    frames.addAll(pieces);
    return frames;
  }

  /** Takes one received frame; returns the message it completes, or null. */
  public String accept(String frame) {
    if (pending == null) {
      if (frame.length() <= 6 && isDigits(frame)) {
        int count = Integer.parseInt(frame);
        if (count > 0) {
          pending = new StringBuilder();
          expected = count;
          received = 0;
        }
        return null;
      }
      return frame;
    }
    pending.append(frame);
    if (++received < expected) {
      return null;
    }
    String message = pending.toString();
    pending = null;
    return message;
  }

  private static boolean isDigits(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }
}
