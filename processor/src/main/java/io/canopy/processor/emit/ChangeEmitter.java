package io.canopy.processor.emit;

import io.canopy.core.error.CanopyException;
import io.canopy.core.error.ErrorCode;
import io.canopy.core.log.ChangeRecord;
import io.canopy.core.log.LogCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The {@code canopy.changes} producer: idempotent, acks=all, each change in the partition of its write. Sends
 * are asynchronous; {@link #flush} waits for all of them and reports the first failure. No decision logic.
 */
public final class ChangeEmitter implements AutoCloseable {
  private final KafkaProducer<byte[], byte[]> producer;
  private final String topic;
  private final ConcurrentMap<Integer, Long> lastOffsets = new ConcurrentHashMap<>();
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

  public void send(ChangeRecord change) {
    int partition = change.sourcePartition();
    ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(topic, partition, change.timestamp(),
        change.namespace().getBytes(StandardCharsets.UTF_8), LogCodec.encode(change));
    producer.send(r, (meta, e) -> {
      if (e != null) {
        failure.compareAndSet(null, e);
      } else {
        lastOffsets.merge(meta.partition(), meta.offset(), Math::max);
      }
    });
  }

  /** Waits until every change sent so far is acknowledged; throws if any failed. */
  public void flush() {
    producer.flush();
    Exception e = failure.get();
    if (e != null) {
      throw new CanopyException(ErrorCode.UNAVAILABLE, "emitting changes failed: " + e.getMessage(), e);
    }
  }

  /** The offset after the last acknowledged change of {@code partition}, or -1 if none was sent. */
  public long endOffset(int partition) {
    Long last = lastOffsets.get(partition);
    return last == null ? -1 : last + 1;
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
