package io.canopy.presence;

import io.canopy.presence.memory.MemoryClusterState;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The cluster-wide state a gateway shares with the others, as one object with one lifecycle: the four SPIs over
 * the same store. {@link #inMemory()} serves one process (all-in-one); the server builds a Redis one for a cluster.
 */
public interface ClusterState extends AutoCloseable {

  OnDisconnectStore onDisconnect();

  NodeLiveness liveness();

  Presence presence();

  ClusterRateLimiter rateLimiter();

  /** Completes once the store answered (a Redis {@code PING}), or fails; for readiness probes. */
  CompletableFuture<Void> ping();

  /** What backs it, for logs ({@code memory}, {@code redis://host:port}, never a password). */
  String describe();

  /** True if other processes can see this state (a gateway's crash leaves its queues to the survivors). */
  boolean shared();

  @Override
  void close();

  /** A fresh in-memory state: one process, nothing shared, nothing survives it. */
  static ClusterState inMemory() {
    return new MemoryClusterState();
  }

  /**
   * How a gateway takes part: its lease lasts {@code leaseTtl} and is renewed every {@code renewEvery}; it looks
   * for dead gateways to reap every {@code reapEvery}. Checked when built (messages prefixed {@code presence: }).
   *
   * @param leaseTtl how long after its last renewal a silent gateway counts as dead (default 10 s): the longest a
   *     crashed gateway's onDisconnect writes wait, minus {@code reapEvery}
   * @param renewEvery how often the lease is renewed (default 3 s); under half of {@code leaseTtl}, so a missed
   *     renewal is survived (the default survives two)
   * @param reapEvery how often each gateway looks for dead ones (default 2 s)
   */
  record Timing(Duration leaseTtl, Duration renewEvery, Duration reapEvery) {
    public static final Duration DEFAULT_LEASE_TTL = Duration.ofSeconds(10);
    public static final Duration DEFAULT_RENEW_EVERY = Duration.ofSeconds(3);
    public static final Duration DEFAULT_REAP_EVERY = Duration.ofSeconds(2);

    public Timing {
      if (leaseTtl == null || leaseTtl.toMillis() < 100) {
        throw new IllegalArgumentException("presence: leaseTtl must be >= 100 ms: " + leaseTtl);
      }
      if (renewEvery == null || renewEvery.toMillis() < 10 || renewEvery.multipliedBy(2).compareTo(leaseTtl) >= 0) {
        throw new IllegalArgumentException("presence: renewEvery must be >= 10 ms and under half of leaseTtl ("
            + leaseTtl.toMillis() + " ms): " + renewEvery);
      }
      if (reapEvery == null || reapEvery.toMillis() < 10) {
        throw new IllegalArgumentException("presence: reapEvery must be >= 10 ms: " + reapEvery);
      }
    }

    public static Timing defaults() {
      return new Timing(DEFAULT_LEASE_TTL, DEFAULT_RENEW_EVERY, DEFAULT_REAP_EVERY);
    }

    /** A lease of {@code ttl}, renewed at a third of it and reaped at a fifth (at least 10 ms each). */
    public static Timing ofLeaseTtl(Duration ttl) {
      long ms = ttl.toMillis();
      return new Timing(ttl, Duration.ofMillis(Math.max(10, ms / 3)), Duration.ofMillis(Math.max(10, ms / 5)));
    }
  }
}
