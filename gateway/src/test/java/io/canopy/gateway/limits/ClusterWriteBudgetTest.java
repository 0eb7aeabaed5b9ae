package io.canopy.gateway.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.canopy.presence.ClusterState;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ClusterWriteBudgetTest {
  private final ClusterState state = ClusterState.inMemory();

  @Test
  void gatewaysSharingAStateShareTheNamespacesBudget() {
    ClusterWriteBudget a = new ClusterWriteBudget(state.rateLimiter(), 10);
    ClusterWriteBudget b = new ClusterWriteBudget(state.rateLimiter(), 10);
    // start early in a window so that it does not end during the test
    await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(5))
        .until(() -> state.rateLimiter().add("probe", 0, 1_000).join().remainingMs() > 700);
    for (int i = 0; i < 6; i++) {
      assertThat(a.tryAcquire("ns")).isTrue();
    }
    a.sync();
    for (int i = 0; i < 4; i++) {
      assertThat(b.tryAcquire("ns")).isTrue();
    }
    b.sync();
    assertThat(b.tryAcquire("ns")).as("the cluster took 10 this second").isFalse();
    assertThat(b.exhausted("ns")).isTrue();
    assertThat(b.refusal("ns")).contains("across the cluster");
    assertThat(b.tryAcquire("other")).isTrue();
    a.sync();
    assertThat(a.tryAcquire("ns")).as("a learns the total on its next sync only once it reports").isTrue();
    a.sync();
    assertThat(a.tryAcquire("ns")).isFalse();
    await().atMost(Duration.ofSeconds(3)).until(() -> b.tryAcquire("ns"));
  }

  @Test
  void aGatewayAloneIsHeldToTheBudgetBeforeItsFirstSync() {
    ClusterWriteBudget budget = new ClusterWriteBudget(state.rateLimiter(), 3);
    assertThat(budget.tryAcquire("ns")).isTrue();
    assertThat(budget.tryAcquire("ns")).isTrue();
    assertThat(budget.tryAcquire("ns")).isTrue();
    assertThat(budget.tryAcquire("ns")).isFalse();
  }

  @Test
  void zeroMeansNoClusterBudgetAndGatewayLimitsReportRefusals() {
    ClusterWriteBudget none = new ClusterWriteBudget(state.rateLimiter(), 0);
    assertThat(none.unlimited()).isTrue();
    for (int i = 0; i < 100; i++) {
      assertThat(none.tryAcquire("ns")).isTrue();
    }
    GatewayLimits limits = new GatewayLimits(LimitsConfig.defaults().withClusterNamespaceWrites(1),
        new ClusterWriteBudget(state.rateLimiter(), 1));
    assertThat(limits.admitWrite("ns")).isTrue();
    assertThat(limits.admitWrite("ns")).isFalse();
    assertThat(limits.writeRefusal("ns")).contains("across the cluster");
    assertThat(limits.stats()).containsEntry("clusterThrottledWrites", 1L);
  }
}
