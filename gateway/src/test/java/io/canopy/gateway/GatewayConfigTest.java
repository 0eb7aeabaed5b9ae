package io.canopy.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class GatewayConfigTest {

  @Test
  void defaults() {
    GatewayConfig c = GatewayConfig.defaults("localhost:9092", 4);
    assertThat(c.host()).isEqualTo("0.0.0.0");
    assertThat(c.port()).isEqualTo(9000);
    assertThat(c.writesTopic()).isEqualTo("canopy.writes");
    assertThat(c.defaultNamespace()).isEqualTo("default");
    assertThat(c.writeTimeoutMs()).isEqualTo(30_000);
    assertThat(c.maxRestBodyBytes()).isEqualTo(256L * 1024 * 1024);
    assertThat(c.wsMaxFrameBytes()).isEqualTo(65_536);
    assertThat(c.wsMaxMessageChars()).isEqualTo(16 * 1024 * 1024 + 64 * 1024);
    assertThat(c.wsIdleTimeoutMs()).isEqualTo(120_000);
  }

  @Test
  void webSocketLimits() {
    GatewayConfig c = GatewayConfig.defaults("localhost:9092", 4).withWebSocketLimits(1 << 20, 1000, 0);
    assertThat(c.wsMaxFrameBytes()).isEqualTo(1 << 20);
    assertThat(c.wsMaxMessageChars()).isEqualTo(1000);
    assertThat(c.wsIdleTimeoutMs()).isZero();
    assertThatThrownBy(() -> c.withWebSocketLimits(40_000, 1000, 0)).hasMessageStartingWith("gateway: wsMaxFrameBytes");
    assertThatThrownBy(() -> c.withWebSocketLimits(65_536, 0, 0)).hasMessageStartingWith("gateway: wsMaxMessageChars");
    assertThatThrownBy(() -> c.withWebSocketLimits(65_536, 1, 10)).hasMessageStartingWith("gateway: wsIdleTimeoutMs");
  }

  @Test
  void invalidSettingsAreRejectedWithAPrefixedMessage() {
    GatewayConfig c = GatewayConfig.defaults("localhost:9092", 4);
    assertThatThrownBy(() -> c.withListen("", 1)).hasMessageStartingWith("gateway: host");
    assertThatThrownBy(() -> c.withListen("h", 70000)).hasMessageStartingWith("gateway: port");
    assertThatThrownBy(() -> c.withDefaultNamespace("Nope")).hasMessageStartingWith("gateway: defaultNamespace");
    assertThatThrownBy(() -> c.withWriteTimeoutMs(0)).hasMessageStartingWith("gateway: writeTimeoutMs");
    assertThatThrownBy(() -> c.withMaxRestBodyBytes(0)).hasMessageStartingWith("gateway: maxRestBodyBytes");
    assertThatThrownBy(() -> GatewayConfig.defaults(" ", 4)).hasMessageStartingWith("gateway: bootstrapServers");
    assertThatThrownBy(() -> GatewayConfig.defaults("k:1", 0)).hasMessageStartingWith("gateway: partitions");
  }

  @Test
  void portZeroIsAllowed() {
    assertThat(GatewayConfig.defaults("k:1", 1).withListen("127.0.0.1", 0).port()).isZero();
  }
}
