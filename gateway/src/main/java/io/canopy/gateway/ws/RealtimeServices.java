package io.canopy.gateway.ws;

import io.canopy.gateway.GatewayConfig;
import io.canopy.gateway.auth.TokenVerifier;
import io.canopy.gateway.cluster.ClusterAgent;
import io.canopy.gateway.health.GatewayMetrics;
import io.canopy.gateway.limits.GatewayLimits;
import io.canopy.gateway.ns.NamespaceResolver;
import io.canopy.gateway.write.WriteLog;
import io.canopy.presence.ClusterState;
import io.canopy.presence.OnDisconnectStore;
import io.canopy.pusher.Pusher;
import java.util.Objects;

/**
 * What the two realtime endpoints, {@code /.ws} ({@link WebSocketEndpoint}) and {@code /.lp}
 * ({@link LongPollEndpoint}), are built from.
 *
 * @param limits the gateway's limits, shared with the other endpoint and the REST API
 * @param cluster the gateway's cluster agent: sessions keep their on-disconnect queues in its cluster state and are
 *     counted there, and all of them are closed if the gateway gets fenced; null = a gateway alone
 */
public record RealtimeServices(Pusher pusher, WriteLog writeLog, NamespaceResolver namespaces,
    GatewayMetrics metrics, GatewayConfig config, TokenVerifier verifier, GatewayLimits limits,
    ClusterAgent cluster) {
  public RealtimeServices {
    Objects.requireNonNull(pusher, "pusher");
    Objects.requireNonNull(writeLog, "writeLog");
    Objects.requireNonNull(namespaces, "namespaces");
    Objects.requireNonNull(metrics, "metrics");
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(verifier, "verifier");
    Objects.requireNonNull(limits, "limits");
  }

  /** Where an endpoint keeps on-disconnect queues: the cluster state, or (alone) a new store in memory. */
  OnDisconnectStore newOnDisconnectStore() {
    return cluster == null ? ClusterState.inMemory().onDisconnect() : cluster.onDisconnect();
  }

  /** The id under which this gateway's sessions are registered. */
  String gatewayId() {
    return cluster == null ? "local" : cluster.gatewayId();
  }

  /** Runs {@code closeAll} if the gateway gets fenced in the cluster (nothing when alone). */
  void onFenced(Runnable closeAll) {
    if (cluster != null) {
      cluster.onFenced(closeAll);
    }
  }
}
