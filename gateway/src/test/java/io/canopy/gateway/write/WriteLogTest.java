package io.canopy.gateway.write;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.canopy.core.error.CanopyException;
import io.canopy.core.error.ErrorCode;
import io.canopy.core.log.ChangeRecord;
import io.canopy.core.log.LogCodec;
import io.canopy.core.log.Partitions;
import io.canopy.core.log.WriteRecord;
import io.canopy.core.ops.WriteOp;
import io.canopy.core.path.Path;
import io.canopy.core.rules.Caller;
import io.canopy.core.tree.LeafNode;
import io.canopy.pusher.ack.AckRouter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.NetworkException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WriteLogTest {
  private static final int PARTITIONS = 8;
  private static final WriteOp OP = new WriteOp.Set(Path.of("a"), LeafNode.of(1));

  private final AckRouter acks = new AckRouter("gw-test");
  private MockProducer<byte[], byte[]> producer;
  private WriteLog log;

  private void open(boolean autoComplete, long timeoutMs) {
    producer = new MockProducer<>(autoComplete, null, new ByteArraySerializer(), new ByteArraySerializer());
    log = new WriteLog(producer, "canopy.writes", PARTITIONS, timeoutMs, acks);
  }

  @AfterEach
  void close() {
    log.close();
  }

  @Test
  void producesToTheNamespacePartitionAndCompletesWithTheVerdict() throws Exception {
    open(true, 10_000);
    CompletableFuture<ChangeRecord> verdict = log.write("demo", OP, "hash", Caller.ADMIN);
    await().atMost(Duration.ofSeconds(5)).until(() -> producer.history().size() == 1);

    ProducerRecord<byte[], byte[]> sent = producer.history().get(0);
    assertThat(sent.topic()).isEqualTo("canopy.writes");
    assertThat(sent.partition()).isEqualTo(Partitions.forNamespace("demo", PARTITIONS));
    assertThat(new String(sent.key(), StandardCharsets.UTF_8)).isEqualTo("demo");
    WriteRecord record = LogCodec.decodeWrite(sent.value());
    assertThat(record.namespace()).isEqualTo("demo");
    assertThat(record.op()).isEqualTo(OP);
    assertThat(record.expectedHash()).isEqualTo("hash");
    assertThat(record.origin().gateway()).isEqualTo("gw-test");
    assertThat(verdict).isNotDone();

    ChangeRecord change = ChangeRecord.accepted("demo", sent.partition(), 0, 1, record.origin(), List.of());
    acks.route(change);
    assertThat(verdict.get(5, TimeUnit.SECONDS)).isSameAs(change);
  }

  @Test
  void aFailedProduceIsUnavailableAndForgotten() {
    open(false, 10_000);
    CompletableFuture<ChangeRecord> verdict = log.write("demo", OP, null, Caller.ADMIN);
    await().atMost(Duration.ofSeconds(5)).until(() -> producer.history().size() == 1);
    producer.errorNext(new NetworkException("broker down"));

    assertFailsWith(verdict, ErrorCode.UNAVAILABLE, "broker down");
    assertThat(acks.waitingCount()).isZero();
  }

  @Test
  void aRecordKafkaFindsTooLargeIs413() {
    open(false, 10_000);
    CompletableFuture<ChangeRecord> verdict = log.write("demo", OP, null, Caller.ADMIN);
    await().atMost(Duration.ofSeconds(5)).until(() -> producer.history().size() == 1);
    producer.errorNext(new RecordTooLargeException("too big"));

    assertFailsWith(verdict, ErrorCode.PAYLOAD_TOO_LARGE, "too big");
  }

  @Test
  void aMissingVerdictTimesOutAsUnavailableAndIsForgotten() {
    open(true, 100);
    CompletableFuture<ChangeRecord> verdict = log.write("demo", OP, null, Caller.ADMIN);

    assertFailsWith(verdict, ErrorCode.UNAVAILABLE, "not confirmed within 100 ms");
    assertThat(acks.waitingCount()).isZero();
  }

  @Test
  void onlyWritesStillWaitingTimeOutAndAnsweredOnesAreNotFailedLater() throws Exception {
    open(true, 200);
    CompletableFuture<ChangeRecord> answered = log.write("demo", OP, null, Caller.ADMIN);
    CompletableFuture<ChangeRecord> waiting = log.write("demo", OP, null, Caller.ADMIN);
    await().atMost(Duration.ofSeconds(5)).until(() -> producer.history().size() == 2);
    ProducerRecord<byte[], byte[]> sent = producer.history().get(0);
    ChangeRecord change = ChangeRecord.accepted("demo", sent.partition(), 0, 1,
        LogCodec.decodeWrite(sent.value()).origin(), List.of());
    acks.route(change);

    assertFailsWith(waiting, ErrorCode.UNAVAILABLE, "not confirmed within 200 ms");
    Thread.sleep(3 * WriteLog.sweepMillis(200));
    assertThat(answered.get()).isSameAs(change);
    assertThat(acks.waitingCount()).isZero();
  }

  @Test
  void expiredWritesAreLookedForOftenEnough() {
    open(true, 10_000);
    assertThat(WriteLog.sweepMillis(100)).isEqualTo(5);
    assertThat(WriteLog.sweepMillis(10)).isEqualTo(1);
    assertThat(WriteLog.sweepMillis(10_000)).isEqualTo(50);
  }

  @Test
  void writesAfterCloseFailInsteadOfHanging() {
    open(true, 10_000);
    log.close();
    assertFailsWith(log.write("demo", OP, null, Caller.ADMIN), ErrorCode.UNAVAILABLE, "shutting down");
  }

  private static void assertFailsWith(CompletableFuture<ChangeRecord> verdict, ErrorCode code, String message) {
    assertThatThrownBy(() -> verdict.get(5, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOfSatisfying(CanopyException.class, e -> assertThat(e.code()).isEqualTo(code))
        .hasMessageContaining(message);
  }
}
