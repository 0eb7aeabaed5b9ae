package io.canopy.gateway.limits;

/**
 * A token-bucket rate: {@code perSecond} tokens are added per second, up to {@code burst} saved up. A rate of 0
 * means unlimited.
 *
 * @param perSecond the sustained rate; 0 = unlimited
 * @param burst how many may come at once after a quiet spell; at least 1 when limited
 */
public record Rate(double perSecond, double burst) {
  /** No limit at all. */
  public static final Rate UNLIMITED = new Rate(0, 0);

  public Rate {
    if (!(perSecond >= 0) || Double.isInfinite(perSecond)) {
      throw new IllegalArgumentException("limits: a rate must be a finite number >= 0 per second: " + perSecond);
    }
    if (perSecond > 0 && (!(burst >= 1) || Double.isInfinite(burst))) {
      throw new IllegalArgumentException("limits: a burst must be a finite number >= 1: " + burst);
    }
    if (perSecond == 0) {
      burst = 0;
    }
  }

  /** {@code perSecond} sustained with a burst of {@code burstSeconds} seconds' worth (at least 1). */
  public static Rate perSecond(double perSecond, double burstSeconds) {
    return perSecond == 0 ? UNLIMITED : new Rate(perSecond, Math.max(1, perSecond * burstSeconds));
  }

  public boolean unlimited() {
    return perSecond == 0;
  }

  /** A fresh, full bucket of this rate. */
  public TokenBucket newBucket() {
    return new TokenBucket(this);
  }

  @Override
  public String toString() {
    return unlimited() ? "unlimited" : fmt(perSecond) + "/s (burst " + fmt(burst) + ")";
  }

  static String fmt(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }
}
