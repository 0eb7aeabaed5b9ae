package io.canopy.processor;

import io.canopy.core.rules.RulesDocument;
import java.util.Objects;

/**
 * Settings of a processor. Flags and environment variables are mapped onto this record by {@code server} only.
 *
 * @param bootstrapServers Kafka bootstrap servers
 * @param writesTopic the write log (default {@value #DEFAULT_WRITES_TOPIC})
 * @param changesTopic the resolved-change log (default {@value #DEFAULT_CHANGES_TOPIC})
 * @param groupId the consumer group that gives each partition one owner (default {@value #DEFAULT_GROUP_ID})
 * @param maxBatchOps flush when this many writes are buffered in a partition (default {@value
 *     #DEFAULT_MAX_BATCH_OPS}); 1 turns Nagle batching off
 * @param maxBatchDelayMs flush when the oldest buffered write is this old (default {@value
 *     #DEFAULT_MAX_BATCH_DELAY_MS}); 0 turns Nagle batching off
 * @param defaultRules the rules of a namespace that has none of its own (default: everything allowed)
 * @param maxPollIntervalMs a processor whose consumer thread stalls this long leaves the group and its partitions
 *     move (Kafka's {@code max.poll.interval.ms}, default {@value #DEFAULT_MAX_POLL_INTERVAL_MS}); a stall of the
 *     whole process (GC, SIGSTOP) is detected after the consumer session timeout instead
 */
public record ProcessorConfig(
    String bootstrapServers,
    String writesTopic,
    String changesTopic,
    String groupId,
    int maxBatchOps,
    long maxBatchDelayMs,
    RulesDocument defaultRules,
    int maxPollIntervalMs) {
  public static final String DEFAULT_WRITES_TOPIC = "canopy.writes";
  public static final String DEFAULT_CHANGES_TOPIC = "canopy.changes";
  public static final String DEFAULT_GROUP_ID = "canopy-processor";
  public static final int DEFAULT_MAX_BATCH_OPS = 1000;
  public static final long DEFAULT_MAX_BATCH_DELAY_MS = 20;
  public static final int DEFAULT_MAX_POLL_INTERVAL_MS = 300_000;

  public ProcessorConfig {
    Objects.requireNonNull(bootstrapServers, "processor: bootstrapServers");
    Objects.requireNonNull(writesTopic, "processor: writesTopic");
    Objects.requireNonNull(changesTopic, "processor: changesTopic");
    Objects.requireNonNull(groupId, "processor: groupId");
    Objects.requireNonNull(defaultRules, "processor: defaultRules");
    if (maxBatchOps < 1) {
      throw new IllegalArgumentException("processor: maxBatchOps must be >= 1");
    }
    if (maxBatchDelayMs < 0) {
      throw new IllegalArgumentException("processor: maxBatchDelayMs must be >= 0");
    }
    if (maxPollIntervalMs < 1) {
      throw new IllegalArgumentException("processor: maxPollIntervalMs must be >= 1");
    }
    if (writesTopic.equals(changesTopic)) {
      throw new IllegalArgumentException("processor: writesTopic and changesTopic must differ");
    }
  }

  /** A processor whose namespaces without rules of their own allow everything. */
  public ProcessorConfig(String bootstrapServers, String writesTopic, String changesTopic, String groupId,
      int maxBatchOps, long maxBatchDelayMs) {
    this(bootstrapServers, writesTopic, changesTopic, groupId, maxBatchOps, maxBatchDelayMs,
        RulesDocument.ALLOW_ALL, DEFAULT_MAX_POLL_INTERVAL_MS);
  }

  /** Defaults for everything but the Kafka address. */
  public static ProcessorConfig defaults(String bootstrapServers) {
    return new ProcessorConfig(bootstrapServers, DEFAULT_WRITES_TOPIC, DEFAULT_CHANGES_TOPIC, DEFAULT_GROUP_ID,
        DEFAULT_MAX_BATCH_OPS, DEFAULT_MAX_BATCH_DELAY_MS);
  }

  public ProcessorConfig withBatching(int ops, long delayMs) {
    return new ProcessorConfig(bootstrapServers, writesTopic, changesTopic, groupId, ops, delayMs, defaultRules,
        maxPollIntervalMs);
  }

  public ProcessorConfig withDefaultRules(RulesDocument rules) {
    return new ProcessorConfig(bootstrapServers, writesTopic, changesTopic, groupId, maxBatchOps, maxBatchDelayMs,
        rules, maxPollIntervalMs);
  }

  public ProcessorConfig withMaxPollInterval(int ms) {
    return new ProcessorConfig(bootstrapServers, writesTopic, changesTopic, groupId, maxBatchOps, maxBatchDelayMs,
        defaultRules, ms);
  }
}
