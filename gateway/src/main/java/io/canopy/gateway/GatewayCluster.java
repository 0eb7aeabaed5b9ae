package io.canopy.gateway;

import io.canopy.presence.ClusterState;
import java.util.Objects;

/**
 * How a gateway takes part in the cluster: its id (the same as its pusher's, unique per process), the shared
 * state (in memory for all-in-one, Redis for a cluster; the caller owns it and closes it after the gateway) and
 * the lease timing. The gateway renews its lease, keeps its connections' onDisconnect queues and presence in the
 * state, and reaps dead gateways' queues.
 */
public record GatewayCluster(String gatewayId, ClusterState state, ClusterState.Timing timing) {
  public GatewayCluster {
    Objects.requireNonNull(gatewayId, "gatewayId");
    Objects.requireNonNull(state, "state");
    timing = timing == null ? ClusterState.Timing.defaults() : timing;
  }

  /** A gateway alone in this process: in-memory state, default timing. */
  public static GatewayCluster standalone(String gatewayId) {
    return new GatewayCluster(gatewayId, ClusterState.inMemory(), null);
  }
}
