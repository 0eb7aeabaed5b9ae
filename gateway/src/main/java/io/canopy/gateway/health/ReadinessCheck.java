package io.canopy.gateway.health;

import java.util.Map;

/**
 * Whether this process can serve: its dependencies (Kafka, the store, its processor) are reachable. Called off the
 * event loop; implementations bound their own time and may cache.
 */
@FunctionalInterface
public interface ReadinessCheck {
  /** Always ready (components that have no dependencies to check). */
  ReadinessCheck ALWAYS = Map::of;

  /** What is wrong, by dependency ({@code "kafka" -> "unreachable: ..."}); empty when ready. */
  Map<String, String> problems();
}
