package io.canopy.sdk.internal.connection;

import java.util.random.RandomGenerator;

/**
 * Exponential reconnect delays with jitter: attempt n waits a random time in [½, 1] × min(max, min × 2^n), so many
 * clients dropped at once do not come back in lock step. {@link #reset()} after a successful handshake.
 */
public final class Backoff {
  private final long minMillis;
  private final long maxMillis;
  private final RandomGenerator random;
  private int attempts;

  public Backoff(long minMillis, long maxMillis, RandomGenerator random) {
    if (minMillis < 1 || maxMillis < minMillis) {
      throw new IllegalArgumentException("need 1 <= min <= max: " + minMillis + ", " + maxMillis);
    }
    this.minMillis = minMillis;
    this.maxMillis = maxMillis;
    this.random = random;
  }

  /** The delay before the next attempt, in milliseconds. */
  public long nextDelayMillis() {
    double ceiling = Math.min(maxMillis, minMillis * Math.pow(2, Math.min(attempts, 40)));
    attempts++;
    return Math.max(1, (long) (ceiling * (0.5 + 0.5 * random.nextDouble())));
  }

  /** Back to the shortest delay. */
  public void reset() {
    attempts = 0;
  }

  public int attempts() {
    return attempts;
  }
}
