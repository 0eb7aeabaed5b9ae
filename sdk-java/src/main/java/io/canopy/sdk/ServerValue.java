package io.canopy.sdk;

import java.util.Map;

/**
 * Placeholders the server replaces when it applies a write, usable anywhere in written values and as priorities.
 * Listeners see a local estimate at once and the server's value when it arrives.
 */
public final class ServerValue {
  /** The server's time of the write, in epoch milliseconds. */
  public static final Map<String, Object> TIMESTAMP = Map.of(".sv", "timestamp");

  private ServerValue() {}

  /** Adds {@code delta} to the number stored at the location atomically (a missing or non-number value counts as 0). */
  public static Map<String, Object> increment(long delta) {
    return Map.of(".sv", Map.of("increment", delta));
  }

  /** Adds {@code delta} to the number stored at the location atomically. */
  public static Map<String, Object> increment(double delta) {
    if (!Double.isFinite(delta)) {
      throw new InvalidDataException("increment: the delta must be a finite number");
    }
    return Map.of(".sv", Map.of("increment", delta));
  }
}
