package io.canopy.processor.emit;

import io.canopy.core.error.CanopyException;
import io.canopy.core.error.ErrorCode;
import io.canopy.core.log.ChangeRecord;
import io.canopy.core.log.LogCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The {@code canopy.changes} producer: idempotent, acks=all, each change in the partition of its write. Sends
 * are asynchronous; {@link #awaitAcknowledged} waits for one and everything before it. No decision logic.
 */
public final class ChangeEmitter implements AutoCloseable {
  private final KafkaProducer<byte[], byte[]> producer;
  private final String topic;
  private final AtomicReference<Exception> failure = new AtomicReference<>();

  public ChangeEmitter(String bootstrapServers, String topic) {
    this.topic = topic;
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    props.put(ProducerConfig.LINGER_MS_CONFIG, "0");
    props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000");
    props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
    props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(300 * 1024 * 1024));
    props.put(ProducerConfig.BUFFER_MEMORY_CONFIG, String.valueOf(512L * 1024 * 1024));
    producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
  }

  /** Sends asynchronously; the future completes when Kafka acknowledged the change (or failed). */
  public java.util.concurrent.Future<org.apache.kafka.clients.producer.RecordMetadata> send(ChangeRecord change) {
    int partition = change.sourcePartition();
    ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(topic, partition, change.timestamp(),
        change.namespace().getBytes(StandardCharsets.UTF_8), LogCodec.encode(change));
    return producer.send(r, (meta, e) -> {
      if (e != null) {
        failure.compareAndSet(null, e);
      }
    });
  }

  /**
   * Waits until the change behind {@code sent} (and, Kafka keeping a partition's order, every change sent before
   * it to that partition) is acknowledged; returns the offset after it. Throws if any change failed.
   */
  public long awaitAcknowledged(java.util.concurrent.Future<org.apache.kafka.clients.producer.RecordMetadata> sent) {
    try {
      long end = sent.get().offset() + 1;
      checkFailure();
      return end;
    } catch (java.util.concurrent.ExecutionException e) {
      throw new CanopyException(ErrorCode.UNAVAILABLE, "emitting changes failed: " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CanopyException(ErrorCode.UNAVAILABLE, "interrupted while emitting changes");
    }
  }

  private void checkFailure() {
    Exception e = failure.get();
    if (e != null) {
      throw new CanopyException(ErrorCode.UNAVAILABLE, "emitting changes failed: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(5));
  }

  /** Closes without waiting for unsent changes (a crash, for fault tests and fatal errors). */
  public void abort() {
    producer.close(Duration.ZERO);
  }
}
