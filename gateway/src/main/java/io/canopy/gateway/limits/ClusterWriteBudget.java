package io.canopy.gateway.limits;

import io.canopy.presence.ClusterRateLimiter;
import io.canopy.presence.ClusterRateLimiter.WindowCount;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A namespace's write budget shared by every gateway of the cluster: {@code perSecond} writes per one-second
 * window, counted in the cluster state ({@link ClusterRateLimiter}). Admission never waits for the store: each
 * gateway admits against the last cluster total it learned plus what it admitted since, and {@link #sync}
 * (every {@value #SYNC_INTERVAL_MS} ms) adds its admitted writes to the window and learns the new total. So the
 * cluster can overshoot a window by what the gateways admit in one sync interval; over the budget, a namespace
 * is refused on every gateway until its window ends. Thread-safe.
 */
public final class ClusterWriteBudget {
  public static final long SYNC_INTERVAL_MS = 100;
  static final long WINDOW_MS = 1_000;

  private final ClusterRateLimiter limiter;
  private final long perSecond;
  private final Map<String, Window> windows = new ConcurrentHashMap<>();

  /** What this gateway knows of one namespace's current window. */
  private static final class Window {
    final AtomicLong unsynced = new AtomicLong();
    volatile long clusterTotal;
    volatile long endsNanos;
  }

  /** @param perSecond writes per second per namespace across the cluster; 0 = no cluster budget */
  public ClusterWriteBudget(ClusterRateLimiter limiter, long perSecond) {
    if (perSecond < 0) {
      throw new IllegalArgumentException("limits: cluster namespace writes per second must be >= 0: " + perSecond);
    }
    this.limiter = limiter;
    this.perSecond = perSecond;
  }

  public long perSecond() {
    return perSecond;
  }

  public boolean unlimited() {
    return perSecond == 0;
  }

  /** Takes one write of {@code namespace}'s cluster budget; false if the cluster spent it in this window. */
  public boolean tryAcquire(String namespace) {
    if (perSecond == 0) {
      return true;
    }
    Window w = windows.computeIfAbsent(namespace, ns -> new Window());
    long known = System.nanoTime() - w.endsNanos < 0 ? w.clusterTotal : 0;
    if (known + w.unsynced.get() >= perSecond) {
      return false;
    }
    w.unsynced.incrementAndGet();
    return true;
  }

  /** True if {@code namespace} is over its cluster budget in the current window (as last learned). */
  public boolean exhausted(String namespace) {
    Window w = windows.get(namespace);
    if (perSecond == 0 || w == null) {
      return false;
    }
    long known = System.nanoTime() - w.endsNanos < 0 ? w.clusterTotal : 0;
    return known + w.unsynced.get() >= perSecond;
  }

  /** The error text of a write refused by {@link #tryAcquire}. */
  public String refusal(String namespace) {
    return "Too many requests: writes to namespace \"" + namespace + "\" are limited to " + perSecond
        + " per second across the cluster; retry later";
  }

  /** Reports what was admitted since the last sync and learns the cluster totals; forgets idle namespaces. */
  public void sync() {
    if (perSecond == 0) {
      return;
    }
    long now = System.nanoTime();
    for (Iterator<Map.Entry<String, Window>> it = windows.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, Window> e = it.next();
      Window w = e.getValue();
      long count = w.unsynced.getAndSet(0);
      if (count == 0) {
        if (now - w.endsNanos >= 0) {
          it.remove(); // idle and its window is over: a racing admission at most costs one uncounted write
        }
        continue;
      }
      limiter.add(e.getKey(), count, WINDOW_MS).whenComplete((window, error) -> {
        if (error == null) {
          learn(w, window);
        } else {
          w.unsynced.addAndGet(count); // try again next time; admission goes on against the local count
        }
      });
    }
  }

  private static void learn(Window w, WindowCount window) {
    w.clusterTotal = window.total();
    w.endsNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(window.remainingMs());
  }
}
