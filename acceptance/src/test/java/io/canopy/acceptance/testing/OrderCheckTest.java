package io.canopy.acceptance.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OrderCheckTest {
  @Test
  void subsequencesOfOneOrderAreConsistent() {
    assertThat(OrderCheck.violation(Map.of(
        "a", List.of("1", "2", "3", "4"),
        "b", List.of("1", "3", "3", "4"),
        "c", List.of("2", "4")))).isEmpty();
  }

  @Test
  void twoClientsDisagreeing() {
    assertThat(OrderCheck.violation(Map.of(
        "a", List.of("1", "2", "3"),
        "b", List.of("1", "3", "2")))).get().asString().contains("disagree").contains("2").contains("3");
  }

  @Test
  void aStateComingBack() {
    assertThat(OrderCheck.violation(Map.of("a", List.of("1", "2", "1")))).get().asString().contains("came back");
  }

  @Test
  void aCycleAcrossThreeClients() {
    assertThat(OrderCheck.violation(Map.of(
        "a", List.of("x", "y"),
        "b", List.of("y", "z"),
        "c", List.of("z", "x")))).get().asString().contains("cycle");
  }

  @Test
  void nullsAndRepeatsAreDropped() {
    assertThat(OrderCheck.distinctRuns(java.util.Arrays.asList("1", null, "1", "2", "2"))).containsExactly("1", "2");
  }
}
