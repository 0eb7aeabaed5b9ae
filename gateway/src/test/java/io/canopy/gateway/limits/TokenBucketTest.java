package io.canopy.gateway.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TokenBucketTest {
  private final AtomicLong now = new AtomicLong(1_000);

  private TokenBucket bucket(double perSecond, double burst) {
    return new TokenBucket(new Rate(perSecond, burst), now::get);
  }

  private int take(TokenBucket b, int tries) {
    int taken = 0;
    for (int i = 0; i < tries; i++) {
      if (b.tryAcquire()) {
        taken++;
      }
    }
    return taken;
  }

  @Test
  void startsFullAndAdmitsTheBurstAtOnce() {
    TokenBucket b = bucket(10, 5);
    assertThat(take(b, 100)).isEqualTo(5);
    assertThat(b.full()).isFalse();
  }

  @Test
  void refillsAtTheRateUpToTheBurst() {
    TokenBucket b = bucket(10, 5);
    take(b, 5);
    now.addAndGet(300_000_000); // 0.3 s: 3 tokens
    assertThat(take(b, 100)).isEqualTo(3);
    now.addAndGet(60_000_000_000L); // a minute: full again, but never more than the burst
    assertThat(b.full()).isTrue();
    assertThat(take(b, 100)).isEqualTo(5);
  }

  @Test
  void fractionsOfATokenAccumulate() {
    TokenBucket b = bucket(1, 1);
    take(b, 1);
    now.addAndGet(400_000_000);
    assertThat(b.tryAcquire()).isFalse();
    now.addAndGet(400_000_000);
    assertThat(b.tryAcquire()).isFalse();
    now.addAndGet(200_000_000);
    assertThat(b.tryAcquire()).isTrue();
  }

  @Test
  void anUnlimitedRateAdmitsEverything() {
    TokenBucket b = new TokenBucket(Rate.UNLIMITED, now::get);
    assertThat(take(b, 1_000_000)).isEqualTo(1_000_000);
    assertThat(b.full()).isTrue();
  }

  @Test
  void ratesAreChecked() {
    assertThatThrownBy(() -> new Rate(-1, 1)).hasMessageStartingWith("limits: ");
    assertThatThrownBy(() -> new Rate(Double.NaN, 1)).hasMessageStartingWith("limits: ");
    assertThatThrownBy(() -> new Rate(5, 0.5)).hasMessageStartingWith("limits: ");
    assertThat(new Rate(0, 7)).isEqualTo(Rate.UNLIMITED);
    assertThat(Rate.perSecond(100, 2)).isEqualTo(new Rate(100, 200));
    assertThat(Rate.perSecond(0.1, 2)).isEqualTo(new Rate(0.1, 1));
    assertThat(new Rate(100, 200)).hasToString("100/s (burst 200)");
  }
}
