package io.canopy.gateway.limits;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NamespaceRateLimiterTest {
  @Test
  void eachNamespaceHasItsOwnBudget() {
    NamespaceRateLimiter limiter = new NamespaceRateLimiter(new Rate(1, 3));
    for (int i = 0; i < 3; i++) {
      assertThat(limiter.tryAcquire("a")).isTrue();
    }
    assertThat(limiter.tryAcquire("a")).isFalse();
    assertThat(limiter.tryAcquire("b")).isTrue();
    assertThat(limiter.refusal("a")).isEqualTo(
        "Too many requests: writes to namespace \"a\" are limited to 1 per second on this server; retry later");
  }

  @Test
  void unlimitedKeepsNoState() {
    NamespaceRateLimiter limiter = new NamespaceRateLimiter(Rate.UNLIMITED);
    for (int i = 0; i < 10_000; i++) {
      assertThat(limiter.tryAcquire("ns-" + i)).isTrue();
    }
    assertThat(limiter.size()).isZero();
  }

  @Test
  void gatewayLimitsCountRefusals() {
    GatewayLimits limits = new GatewayLimits(LimitsConfig.defaults().withNamespaceWrites(new Rate(1, 1)));
    assertThat(limits.admitWrite("x")).isTrue();
    assertThat(limits.admitWrite("x")).isFalse();
    assertThat(limits.stats()).containsEntry("throttledWrites", 1L);
    assertThat(limits.floodCloseReason().getBytes(java.nio.charset.StandardCharsets.UTF_8).length)
        .isLessThanOrEqualTo(123);
  }
}
