package io.canopy.processor;

import io.canopy.core.log.ChangeRecord;
import io.canopy.core.log.LogCodec;
import io.canopy.core.log.OwnerEpochFilter;
import io.canopy.core.log.Origin;
import io.canopy.core.log.Partitions;
import io.canopy.core.log.WriteRecord;
import io.canopy.core.ops.WriteOp;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Produces write records the way the gateway does, and reads back change records, for processor tests. */
final class WriteLogFixture implements AutoCloseable {
  private final String bootstrap;
  private final String writesTopic;
  private final int partitions;
  private final KafkaProducer<byte[], byte[]> producer;
  private long nextRequest = 1;

  WriteLogFixture(String bootstrap, String writesTopic, int partitions) {
    this.bootstrap = bootstrap;
    this.writesTopic = writesTopic;
    this.partitions = partitions;
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
  }

  /** Produces one write and waits for Kafka to acknowledge it; returns its offset. */
  long write(String ns, WriteOp op, String expectedHash) {
    WriteRecord w = new WriteRecord(ns, op, expectedHash, new Origin("test", nextRequest++));
    int p = Partitions.forNamespace(ns, partitions);
    try {
      return producer.send(new ProducerRecord<>(writesTopic, p, ns.getBytes(StandardCharsets.UTF_8),
          LogCodec.encode(w))).get().offset();
    } catch (InterruptedException | ExecutionException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The verdicts of one partition of {@code topic} that count, in log order, as every reader sees them: epoch
   * markers and fenced processors' records dropped ({@link OwnerEpochFilter}), epochs cleared (so that two runs
   * compare by content).
   */
  List<ChangeRecord> changes(String topic, int partition) {
    OwnerEpochFilter owners = new OwnerEpochFilter(0);
    return allRecords(topic, partition).stream().filter(owners::admit).map(c -> c.withEpoch(0)).toList();
  }

  /** Every record of one partition of {@code topic}, markers and fenced verdicts included, in log order. */
  List<ChangeRecord> allRecords(String topic, int partition) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    try (KafkaConsumer<byte[], byte[]> c =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      TopicPartition tp = new TopicPartition(topic, partition);
      c.assign(List.of(tp));
      c.seekToBeginning(List.of(tp));
      long end = c.endOffsets(List.of(tp)).get(tp);
      List<ChangeRecord> out = new ArrayList<>();
      while (c.position(tp) < end) {
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
          out.add(LogCodec.decodeChange(r.value()));
        }
      }
      return out;
    }
  }

  @Override
  public void close() {
    producer.close();
  }
}
