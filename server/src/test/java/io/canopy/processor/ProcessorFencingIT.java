package io.canopy.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.canopy.core.json.TreeJson;
import io.canopy.core.log.ChangeRecord;
import io.canopy.core.log.OwnerEpochFilter;
import io.canopy.core.ops.WriteOp;
import io.canopy.core.path.Path;
import io.canopy.server.embedded.KafkaTopics;
import io.canopy.store.TreeStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A processor that stalls while it owns a partition (its consumer thread blocked past {@code max.poll.interval.ms},
 * as a long GC pause or a hung store call would) loses the partition to a second processor, then wakes up holding
 * decided writes. Fencing must make that zombie harmless: its store flush is refused and the verdicts it emits
 * after the new owner's epoch marker are ignored by every reader. Checked on both stores: every write has exactly
 * one verdict that counts, increments are exact, and the store holds the new owner's data.
 *
 * <p>The same failure as a paused process (SIGSTOP past the consumer session timeout) is exercised by
 * {@code MultiProcessClusterIT} in the acceptance module.
 */
class ProcessorFencingIT extends ProcessorInfrastructure {
  private static final int PARTITIONS = 1;
  private static final int PARTITION = 0;
  private static final String NS = "fence";
  private static final int WRITES = 120;
  /** The zombie stalls before deciding this write (earlier ones are decided and emitted, not yet flushed). */
  private static final int STALL_AT = 40;
  private static final int MAX_POLL_INTERVAL_MS = 3000;

  private static final AtomicInteger RUN = new AtomicInteger();

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void aProcessorThatStalledPastItsPartitionCannotOverwriteTheNewOwner(StoreKind kind) throws Exception {
    int run = RUN.incrementAndGet();
    String writes = "fw" + run;
    String changes = "fc" + run;
    KafkaTopics.ensureTopics(kafka.bootstrapServers(), PARTITIONS, writes, changes);
    // A long batch delay: when the zombie wakes, its decided writes are still unflushed and its flush is due.
    ProcessorConfig config = new ProcessorConfig(kafka.bootstrapServers(), writes, changes, "fg" + run, 10_000, 1000)
        .withMaxPollInterval(MAX_POLL_INTERVAL_MS);

    try (TreeStore store = kind.open("fence-" + run);
        WriteLogFixture log = new WriteLogFixture(kafka.bootstrapServers(), writes, PARTITIONS)) {
      int increments = 0;
      for (int i = 0; i < WRITES; i++) {
        if (i % 2 == 0) {
          log.write(NS, new WriteOp.Set(Path.parse("/counter"), TreeJson.parse("{\".sv\":{\"increment\":1}}")), null);
          increments++;
        } else {
          log.write(NS, new WriteOp.Set(Path.parse("/items/i" + i), TreeJson.parse("{\"n\":" + i + "}")), null);
        }
      }

      CountDownLatch stalled = new CountDownLatch(1);
      CountDownLatch wake = new CountDownLatch(1);
      AtomicInteger decided = new AtomicInteger();
      FaultInjector stallOnce = point -> {
        if (point == FaultPoint.BEFORE_DECIDE && decided.incrementAndGet() == STALL_AT + 1) {
          stalled.countDown();
          try {
            wake.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
      };
      Processor zombie = Processor.start(config, store, stallOnce);
      Processor successor = null;
      try {
        assertThat(stalled.await(60, TimeUnit.SECONDS)).as("the first processor reached write " + STALL_AT).isTrue();
        successor = Processor.start(config, store);
        Processor next = successor;
        // The group evicts the stalled member; the successor claims the partition and decides every write.
        await().atMost(Duration.ofSeconds(90))
            .until(() -> store.checkpoint(PARTITION).writesOffset() == WRITES && next.stats().writes() > 0);
        long successorEpoch = store.checkpoint(PARTITION).epoch();
        assertThat(successorEpoch).as("the successor's owner epoch").isGreaterThan(1);
        assertThat(TreeJson.write(store.read(NS, Path.parse("/counter")), false)).isEqualTo(String.valueOf(increments));

        wake.countDown(); // the zombie decides write STALL_AT, emits its verdict, and flushes what it holds
        await().atMost(Duration.ofSeconds(60)).until(() -> zombie.stats().fencedFlushes() > 0);
      } finally {
        wake.countDown();
        zombie.close();
        if (successor != null) {
          successor.close();
        }
      }

      // The store holds exactly the owners' data: every increment once, every item.
      assertThat(TreeJson.write(store.read(NS, Path.parse("/counter")), false)).isEqualTo(String.valueOf(increments));
      assertThat(store.childKeys(NS, Path.parse("/items"), 0)).hasSize(WRITES - increments);

      // The zombie did append verdicts after the new owner's marker, and they do not count.
      List<ChangeRecord> all = log.allRecords(changes, PARTITION);
      OwnerEpochFilter owners = new OwnerEpochFilter(0);
      List<ChangeRecord> ignored = all.stream().filter(c -> !owners.admit(c) && !c.isEpochMarker()).toList();
      assertThat(ignored).as("fenced verdicts in the change log").isNotEmpty()
          .allMatch(c -> c.epoch() == 1 && c.sourceOffset() >= STALL_AT);
      Map<Long, Long> perOffset = log.changes(changes, PARTITION).stream()
          .collect(Collectors.groupingBy(ChangeRecord::sourceOffset, Collectors.counting()));
      assertThat(perOffset).as("writes with a verdict that counts").hasSize(WRITES);
      assertThat(perOffset.values()).as("each write has exactly one verdict that counts").containsOnly(1L);
    }
  }
}
