package io.canopy.gateway.rest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WriteSizeLimitTest {
  private static final long MIB = 1024 * 1024;
  private static final long GATEWAY = 256 * MIB;

  @Test
  void eachLevelIsABodyBudgetWithinTheGatewayLimit() {
    assertThat(WriteSizeLimit.TINY.maxBodyBytes(GATEWAY)).isEqualTo(MIB);
    assertThat(WriteSizeLimit.SMALL.maxBodyBytes(GATEWAY)).isEqualTo(10 * MIB);
    assertThat(WriteSizeLimit.MEDIUM.maxBodyBytes(GATEWAY)).isEqualTo(30 * MIB);
    assertThat(WriteSizeLimit.LARGE.maxBodyBytes(GATEWAY)).isEqualTo(60 * MIB);
    assertThat(WriteSizeLimit.UNLIMITED.maxBodyBytes(GATEWAY)).isEqualTo(GATEWAY);
    assertThat(WriteSizeLimit.LARGE.maxBodyBytes(1000)).isEqualTo(1000);
  }

  @Test
  void theErrorSaysWhatToDo() {
    assertThat(WriteSizeLimit.TINY.tooLarge(5 * MIB).code().httpStatus()).isEqualTo(400);
    assertThat(WriteSizeLimit.TINY.tooLarge(5 * MIB).getMessage())
        .contains("writeSizeLimit=tiny").contains("5242880 bytes").contains("1 s").contains("larger writeSizeLimit");
    assertThat(WriteSizeLimit.SMALL.tooLarge(-1).getMessage()).contains("more than");
  }

  @Test
  void namesAreLowerCase() {
    assertThat(WriteSizeLimit.byName("medium")).isEqualTo(WriteSizeLimit.MEDIUM);
    assertThat(WriteSizeLimit.byName("Medium")).isNull();
  }
}
