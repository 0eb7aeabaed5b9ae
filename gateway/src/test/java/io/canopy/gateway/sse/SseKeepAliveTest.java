package io.canopy.gateway.sse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SseKeepAliveTest {
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    vertx.close().await();
  }

  @Test
  void firesEveryIntervalUntilClosed() {
    AtomicInteger sent = new AtomicInteger();
    SseKeepAlive k = SseKeepAlive.start(vertx, 20, sent::incrementAndGet);
    await().atMost(Duration.ofSeconds(5)).until(() -> sent.get() >= 3);
    k.close();
    int after = sent.get();
    // no more ticks once closed (allow one that was already running)
    await().during(Duration.ofMillis(150)).atMost(Duration.ofSeconds(2)).until(() -> sent.get() <= after + 1);
    assertThat(sent.get()).isLessThanOrEqualTo(after + 1);
  }

  @Test
  void intervalMustBePositive() {
    assertThatThrownBy(() -> SseKeepAlive.start(vertx, 0, () -> { })).isInstanceOf(IllegalArgumentException.class);
  }
}
