package io.canopy.server.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaIT {

  private static final String TOPIC = "it-events";
  private static final int PARTITIONS = 4;
  private static final int RECORDS = 100;

  @TempDir
  Path logDir;

  private EmbeddedKafka kafka;

  @AfterEach
  void stopKafka() {
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  void producesConsumesAndKeepsRecordsAcrossRestart() throws Exception {
    kafka = EmbeddedKafka.start(logDir, 0);
    String bootstrap = kafka.bootstrapServers();
    assertThat(bootstrap).matches("localhost:\\d+");
    assertThat(logDir.resolve("meta.properties")).exists();

    KafkaTopics.ensureTopics(bootstrap, PARTITIONS, TOPIC);
    KafkaTopics.ensureTopics(bootstrap, PARTITIONS, TOPIC); // idempotent
    assertThatThrownBy(() -> KafkaTopics.ensureTopics(bootstrap, PARTITIONS + 1, TOPIC))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(TOPIC + " has " + PARTITIONS);

    Map<String, String> expected = IntStream.range(0, RECORDS).boxed()
        .collect(Collectors.toMap(i -> "key-" + i, i -> "value-" + i));
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProps(bootstrap))) {
      List<Future<RecordMetadata>> acks = new ArrayList<>();
      expected.forEach((k, v) -> acks.add(producer.send(new ProducerRecord<>(TOPIC, k, v))));
      for (Future<RecordMetadata> ack : acks) {
        ack.get();
      }
      // Keys spread over the partitions: the topic really has 4 of them in use.
      assertThat(acks.stream().map(this::partition).distinct().count()).isGreaterThan(1);
    }
    assertThat(readAll(bootstrap)).isEqualTo(expected);

    // Restart on the same directory and the same port: data and port must survive.
    kafka.close();
    kafka.close(); // idempotent
    kafka = EmbeddedKafka.start(logDir, Integer.parseInt(bootstrap.substring(bootstrap.indexOf(':') + 1)));
    assertThat(kafka.bootstrapServers()).isEqualTo(bootstrap);

    KafkaTopics.ensureTopics(bootstrap, PARTITIONS, TOPIC);
    assertThat(readAll(bootstrap)).isEqualTo(expected);
  }

  /** Reads every partition from the beginning (assigned, no group: no rebalance wait) until all records arrived. */
  private static Map<String, String> readAll(String bootstrap) {
    Map<String, String> seen = new HashMap<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerProps(bootstrap))) {
      List<TopicPartition> partitions = IntStream.range(0, PARTITIONS)
          .mapToObj(p -> new TopicPartition(TOPIC, p)).collect(Collectors.toList());
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      await().atMost(Duration.ofSeconds(30)).pollInSameThread().pollDelay(Duration.ZERO).until(() -> {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
          assertThat(seen.put(r.key(), r.value())).as("duplicate %s", r.key()).isNull();
        }
        return seen.size() >= RECORDS;
      });
      // KafkaConsumer is single-threaded, hence pollInSameThread. Nothing beyond the 100 records (e.g. nothing replayed twice).
      assertThat(consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum())
          .isEqualTo(RECORDS);
    }
    return seen;
  }

  private int partition(Future<RecordMetadata> ack) {
    try {
      return ack.get().partition();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static Properties producerProps(String bootstrap) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    return p;
  }

  private static Properties consumerProps(String bootstrap) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    return p;
  }
}
