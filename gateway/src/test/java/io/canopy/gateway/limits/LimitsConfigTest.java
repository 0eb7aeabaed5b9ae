package io.canopy.gateway.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LimitsConfigTest {
  @Test
  void defaultsAreGenerous() {
    LimitsConfig d = LimitsConfig.defaults();
    assertThat(d.maxConnections()).isEqualTo(20_000);
    assertThat(d.wsMessages().perSecond()).isGreaterThanOrEqualTo(10_000);
    assertThat(d.namespaceWrites().perSecond()).isGreaterThanOrEqualTo(10_000);
    assertThat(d.wsFloodFrames().perSecond()).isGreaterThan(d.wsMessages().perSecond());
  }

  @Test
  void nullRatesMeanTheDefaults() {
    assertThat(new LimitsConfig(5, null, null, null))
        .isEqualTo(LimitsConfig.defaults().withMaxConnections(5));
  }

  @Test
  void theFloodThresholdMayNotBeBelowTheMessageRate() {
    assertThatThrownBy(() -> LimitsConfig.defaults().withWsMessages(new Rate(100, 100))
        .withWsFloodFrames(new Rate(50, 100)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("limits: wsFloodFrames");
    assertThat(LimitsConfig.defaults().withWsMessages(Rate.UNLIMITED).withWsFloodFrames(new Rate(5, 5))
        .wsFloodFrames()).isEqualTo(new Rate(5, 5));
  }

  @Test
  void negativeCapsAreRefused() {
    assertThatThrownBy(() -> LimitsConfig.defaults().withMaxConnections(-1))
        .hasMessageStartingWith("limits: maxConnections");
    assertThat(LimitsConfig.unlimited().maxConnections()).isZero();
  }
}
