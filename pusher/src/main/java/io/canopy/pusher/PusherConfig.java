package io.canopy.pusher;

import java.util.Objects;

/**
 * Settings of the pusher inside one gateway process.
 *
 * @param bootstrapServers Kafka bootstrap servers
 * @param changesTopic the resolved-change topic (default {@value #DEFAULT_CHANGES_TOPIC})
 * @param partitions partition count of both topics
 * @param gatewayId this gateway's identity in write origins (unique per process; verdicts come back by it)
 */
public record PusherConfig(String bootstrapServers, String changesTopic, int partitions, String gatewayId) {
  public static final String DEFAULT_CHANGES_TOPIC = "canopy.changes";

  public PusherConfig {
    Objects.requireNonNull(bootstrapServers, "pusher: bootstrapServers");
    Objects.requireNonNull(changesTopic, "pusher: changesTopic");
    Objects.requireNonNull(gatewayId, "pusher: gatewayId");
    if (partitions < 1) {
      throw new IllegalArgumentException("pusher: partitions must be >= 1");
    }
  }
}
