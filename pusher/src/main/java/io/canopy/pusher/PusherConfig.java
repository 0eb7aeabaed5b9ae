package io.canopy.pusher;

import io.canopy.core.rules.RulesDocument;
import java.util.Objects;

/**
 * Settings of the pusher inside one gateway process.
 *
 * @param bootstrapServers Kafka bootstrap servers
 * @param changesTopic the resolved-change topic (default {@value #DEFAULT_CHANGES_TOPIC})
 * @param partitions partition count of both topics
 * @param gatewayId this gateway's identity in write origins (unique per process; verdicts come back by it)
 * @param outboxMaxItems a session's outbox refuses data pushes beyond this many queued items and resyncs the
 *     session instead (default {@value #DEFAULT_OUTBOX_MAX_ITEMS})
 * @param outboxMaxBytes the same bound in estimated bytes (default {@value #DEFAULT_OUTBOX_MAX_BYTES}, 16 MiB)
 * @param deliveryThreads threads that write outboxes to transports (default {@value #DEFAULT_DELIVERY_THREADS})
 * @param loaderThreads threads that read store snapshots for new views (default {@value #DEFAULT_LOADER_THREADS})
 * @param defaultRules the rules of a namespace that has none of its own (the processor's must be the same)
 */
public record PusherConfig(String bootstrapServers, String changesTopic, int partitions, String gatewayId,
    int outboxMaxItems, long outboxMaxBytes, int deliveryThreads, int loaderThreads, RulesDocument defaultRules) {
  public static final String DEFAULT_CHANGES_TOPIC = "canopy.changes";
  public static final int DEFAULT_OUTBOX_MAX_ITEMS = 10_000;
  public static final long DEFAULT_OUTBOX_MAX_BYTES = 16L * 1024 * 1024;
  public static final int DEFAULT_DELIVERY_THREADS = 2;
  public static final int DEFAULT_LOADER_THREADS = 4;

  public PusherConfig {
    Objects.requireNonNull(bootstrapServers, "pusher: bootstrapServers");
    Objects.requireNonNull(changesTopic, "pusher: changesTopic");
    Objects.requireNonNull(gatewayId, "pusher: gatewayId");
    Objects.requireNonNull(defaultRules, "pusher: defaultRules");
    if (partitions < 1) {
      throw new IllegalArgumentException("pusher: partitions must be >= 1");
    }
    if (outboxMaxItems < 1) {
      throw new IllegalArgumentException("pusher: outboxMaxItems must be >= 1");
    }
    if (outboxMaxBytes < 1) {
      throw new IllegalArgumentException("pusher: outboxMaxBytes must be >= 1");
    }
    if (deliveryThreads < 1) {
      throw new IllegalArgumentException("pusher: deliveryThreads must be >= 1");
    }
    if (loaderThreads < 1) {
      throw new IllegalArgumentException("pusher: loaderThreads must be >= 1");
    }
  }

  /** The defaults for everything but the Kafka wiring and identity. */
  public PusherConfig(String bootstrapServers, String changesTopic, int partitions, String gatewayId) {
    this(bootstrapServers, changesTopic, partitions, gatewayId, DEFAULT_OUTBOX_MAX_ITEMS, DEFAULT_OUTBOX_MAX_BYTES,
        DEFAULT_DELIVERY_THREADS, DEFAULT_LOADER_THREADS, RulesDocument.ALLOW_ALL);
  }

  /** This config with other outbox bounds. */
  public PusherConfig withOutboxLimits(int maxItems, long maxBytes) {
    return new PusherConfig(bootstrapServers, changesTopic, partitions, gatewayId, maxItems, maxBytes,
        deliveryThreads, loaderThreads, defaultRules);
  }

  /** This config with other thread counts. */
  public PusherConfig withThreads(int delivery, int loader) {
    return new PusherConfig(bootstrapServers, changesTopic, partitions, gatewayId, outboxMaxItems, outboxMaxBytes,
        delivery, loader, defaultRules);
  }

  /** This config with other default rules. */
  public PusherConfig withDefaultRules(RulesDocument rules) {
    return new PusherConfig(bootstrapServers, changesTopic, partitions, gatewayId, outboxMaxItems, outboxMaxBytes,
        deliveryThreads, loaderThreads, rules);
  }
}
