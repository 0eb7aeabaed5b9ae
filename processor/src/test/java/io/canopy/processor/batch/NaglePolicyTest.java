package io.canopy.processor.batch;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NaglePolicyTest {
  private final NaglePolicy policy = new NaglePolicy(100, 20);

  @Test
  void emptyBufferIsNeverDue() {
    assertThat(policy.due(0, 0, Long.MAX_VALUE)).isFalse();
    assertThat(policy.nanosUntilDue(0, 0, 5)).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void dueBySizeOrByAge() {
    assertThat(policy.due(100, 0, 1)).isTrue();
    assertThat(policy.due(1, 0, 19_999_999)).isFalse();
    assertThat(policy.due(1, 0, 20_000_000)).isTrue();
    assertThat(policy.nanosUntilDue(1, 0, 5_000_000)).isEqualTo(15_000_000);
  }

  @Test
  void batchingOffFlushesEveryWrite() {
    NaglePolicy off = new NaglePolicy(1, 0);
    assertThat(off.due(1, 10, 10)).isTrue();
  }
}
