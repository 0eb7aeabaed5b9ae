package io.canopy.gateway.sse;

import io.vertx.core.Vertx;

/**
 * The keep-alive clock of one event stream: calls its action every interval (Firebase sends a
 * {@code keep-alive} event about every 30 s, so proxies and clients see a live connection) until closed.
 */
public final class SseKeepAlive implements AutoCloseable {
  private final Vertx vertx;
  private final long timerId;

  private SseKeepAlive(Vertx vertx, long timerId) {
    this.vertx = vertx;
    this.timerId = timerId;
  }

  /**
   * Starts the clock on the caller's context.
   *
   * @param sendKeepAlive queues a {@link SseEvents#keepAlive()} frame behind whatever the stream has queued
   */
  public static SseKeepAlive start(Vertx vertx, long intervalMs, Runnable sendKeepAlive) {
    if (intervalMs < 1) {
      throw new IllegalArgumentException("keep-alive interval must be >= 1 ms: " + intervalMs);
    }
    return new SseKeepAlive(vertx, vertx.setPeriodic(intervalMs, id -> sendKeepAlive.run()));
  }

  /** Stops the clock. Idempotent. */
  @Override
  public void close() {
    vertx.cancelTimer(timerId);
  }
}
