package io.canopy.server.embedded;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates the topics Canopy needs, on the embedded broker or on an external cluster. */
public final class KafkaTopics {
  /** Above the largest REST body (256 MiB) plus its record envelope. */
  static final int MAX_MESSAGE_BYTES = 300 * 1024 * 1024;


  private static final Logger LOG = LoggerFactory.getLogger(KafkaTopics.class);
  private static final long TIMEOUT_MS = 30_000;

  private KafkaTopics() {
  }

  /**
   * Creates the missing topics among {@code names} with {@code partitions} partitions each, and checks that the
   * existing ones have exactly that many (the partition count decides which partition a key lands on, so a
   * mismatch would silently route keys elsewhere). Safe to call concurrently from several processes.
   *
   * <p>Replication factor: 1 on a single broker, otherwise min(3, brokers).
   *
   * @throws IllegalStateException if a topic exists with another partition count, or the cluster cannot be
   *                               reached or refuses the creation within 30 s
   */
  public static void ensureTopics(String bootstrap, int partitions, String... names) {
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions must be >= 1: " + partitions);
    }
    Set<String> wanted = new LinkedHashSet<>(Arrays.asList(names));
    if (wanted.isEmpty() || wanted.stream().anyMatch(n -> n == null || n.isBlank())) {
      throw new IllegalArgumentException("topic names must be non-blank and at least one: " + Arrays.toString(names));
    }
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(AdminClientConfig.CLIENT_ID_CONFIG, "canopy-topics");
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT_MS);
    try (Admin admin = Admin.create(props)) {
      int brokers = get(admin.describeCluster().nodes(), deadline, bootstrap).size();
      short replication = (short) (brokers <= 1 ? 1 : Math.min(3, brokers));

      Set<String> toVerify = new LinkedHashSet<>(wanted);
      toVerify.retainAll(get(admin.listTopics().names(), deadline, bootstrap));
      List<NewTopic> missing = new ArrayList<>();
      for (String name : wanted) {
        if (!toVerify.contains(name)) {
          // Large REST writes (up to 256 MiB) must fit in one record, on external brokers too.
          missing.add(new NewTopic(name, partitions, replication)
              .configs(java.util.Map.of("max.message.bytes", String.valueOf(MAX_MESSAGE_BYTES))));
        }
      }
      if (!missing.isEmpty()) {
        CreateTopicsResult created = admin.createTopics(missing);
        for (Map.Entry<String, KafkaFuture<Void>> e : created.values().entrySet()) {
          try {
            get(e.getValue(), deadline, bootstrap);
            LOG.info("Created Kafka topic {} ({} partitions, replication {})", e.getKey(), partitions, replication);
          } catch (TopicCreationRace race) {
            // Another process created it between our listing and our creation: check it like an existing one.
            toVerify.add(e.getKey());
          }
        }
      }
      if (!toVerify.isEmpty()) {
        verifyPartitions(admin, toVerify, partitions, deadline, bootstrap);
      }
    }
  }

  private static void verifyPartitions(Admin admin, Set<String> topics, int partitions, long deadline,
                                       String bootstrap) {
    Map<String, TopicDescription> descriptions;
    while (true) {
      try {
        descriptions = get(admin.describeTopics(topics).allTopicNames(), deadline, bootstrap);
        break;
      } catch (IllegalStateException e) {
        // A topic just created by someone else may not have reached this broker's metadata yet: ask again.
        if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() >= deadline) {
          throw e;
        }
      }
    }
    List<String> wrong = new ArrayList<>();
    descriptions.forEach((name, d) -> {
      if (d.partitions().size() != partitions) {
        wrong.add(name + " has " + d.partitions().size());
      }
    });
    if (!wrong.isEmpty()) {
      throw new IllegalStateException("Kafka topics on " + bootstrap + " exist with the wrong partition count (expected "
          + partitions + "): " + String.join(", ", wrong)
          + ". Delete them or configure the same partition count; keys would otherwise be routed differently.");
    }
  }

  private static <T> T get(KafkaFuture<T> future, long deadlineNanos, String bootstrap) {
    try {
      return future.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof TopicExistsException) {
        throw new TopicCreationRace();
      }
      throw new IllegalStateException("Kafka admin request to " + bootstrap + " failed: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("Kafka at " + bootstrap + " did not answer within " + TIMEOUT_MS + " ms", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while talking to Kafka at " + bootstrap, e);
    }
  }

  /** Internal signal: the topic already exists. */
  private static final class TopicCreationRace extends RuntimeException {
    TopicCreationRace() {
      super(null, null, false, false);
    }
  }
}
