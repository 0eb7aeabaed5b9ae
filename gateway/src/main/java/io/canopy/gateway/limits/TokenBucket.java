package io.canopy.gateway.limits;

import java.util.function.LongSupplier;

/**
 * A token bucket: starts full ({@link Rate#burst()} tokens), refills continuously at {@link Rate#perSecond()}, and
 * each admitted event takes one token. An unlimited rate admits everything. Thread-safe (a short lock: buckets are
 * per connection or per namespace, so contention is low).
 */
public final class TokenBucket {
  private final Rate rate;
  private final double perNano;
  private final LongSupplier clock;
  private double tokens;
  private long lastNanos;

  TokenBucket(Rate rate) {
    this(rate, System::nanoTime);
  }

  /** @param nanoClock a monotonic clock in nanoseconds (tests move it by hand) */
  TokenBucket(Rate rate, LongSupplier nanoClock) {
    this.rate = rate;
    this.perNano = rate.perSecond() / 1e9;
    this.clock = nanoClock;
    this.tokens = rate.burst();
    this.lastNanos = nanoClock.getAsLong();
  }

  public Rate rate() {
    return rate;
  }

  /** Takes one token if there is one. */
  public boolean tryAcquire() {
    if (rate.unlimited()) {
      return true;
    }
    synchronized (this) {
      refill();
      if (tokens >= 1) {
        tokens -= 1;
        return true;
      }
      return false;
    }
  }

  /** True if the bucket has refilled completely (nothing was taken for a while): it can be forgotten. */
  public boolean full() {
    if (rate.unlimited()) {
      return true;
    }
    synchronized (this) {
      refill();
      return tokens >= rate.burst();
    }
  }

  private void refill() {
    long now = clock.getAsLong();
    long elapsed = now - lastNanos;
    if (elapsed > 0) {
      tokens = Math.min(rate.burst(), tokens + elapsed * perNano);
      lastNanos = now;
    }
  }
}
