package io.canopy.gateway.limits;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One token bucket per namespace, shared by everything on this gateway that writes to it. Buckets that have
 * refilled completely carry no state and are forgotten now and then, so many short-lived namespaces cost no
 * memory. Thread-safe.
 */
public final class NamespaceRateLimiter {
  /** Idle buckets are swept at most this often, and only once there are this many. */
  private static final long SWEEP_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);
  private static final int SWEEP_ABOVE = 1_000;

  private final Rate rate;
  private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();
  private final AtomicLong nextSweep = new AtomicLong(System.nanoTime() + SWEEP_INTERVAL_NANOS);

  public NamespaceRateLimiter(Rate rate) {
    this.rate = rate;
  }

  public Rate rate() {
    return rate;
  }

  /** Takes one write of {@code namespace}'s budget; false if it is spent for now. */
  public boolean tryAcquire(String namespace) {
    if (rate.unlimited()) {
      return true;
    }
    boolean admitted = buckets.computeIfAbsent(namespace, ns -> rate.newBucket()).tryAcquire();
    sweepNowAndThen();
    return admitted;
  }

  /** The error text of a refused write. */
  public String refusal(String namespace) {
    return "Too many requests: writes to namespace \"" + namespace + "\" are limited to "
        + Rate.fmt(rate.perSecond()) + " per second on this server; retry later";
  }

  /** Buckets currently held (for tests and metrics). */
  int size() {
    return buckets.size();
  }

  private void sweepNowAndThen() {
    long next = nextSweep.get();
    long now = System.nanoTime();
    if (buckets.size() <= SWEEP_ABOVE || now - next < 0 || !nextSweep.compareAndSet(next, now + SWEEP_INTERVAL_NANOS)) {
      return;
    }
    for (Iterator<TokenBucket> it = buckets.values().iterator(); it.hasNext(); ) {
      if (it.next().full()) {
        it.remove(); // a racing writer may have just taken a token from it: at most one token is forgiven
      }
    }
  }
}
