package io.canopy.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.canopy.core.json.TreeJson;
import io.canopy.core.log.ChangeRecord;
import io.canopy.core.log.Partitions;
import io.canopy.core.hash.NodeHash;
import io.canopy.core.ops.WriteOp;
import io.canopy.core.path.Path;
import io.canopy.core.tree.Node;
import io.canopy.processor.FaultInjector.SimulatedCrash;
import io.canopy.server.embedded.KafkaTopics;
import io.canopy.store.Checkpoint;
import io.canopy.store.FlushBatch;
import io.canopy.store.TreeStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Kills the processor at each named point of the flush sequence (and between a store's data and its
 * checkpoint), restarts it, and checks that no acknowledged write is lost, none is applied twice (increments
 * are exact), and that replaying the write log from scratch derives the very same changes (determinism).
 */
class ProcessorCrashIT extends ProcessorInfrastructure {
  private static final int PARTITIONS = 2;
  private static final String NS = "crash";
  private static final int WRITES = 60;

  private static final AtomicInteger RUN = new AtomicInteger();

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void crashAfterEmittingBeforeFlushing(StoreKind kind) {
    runCrashScenario(kind, FaultPoint.AFTER_EMIT_BEFORE_FLUSH, store -> store);
  }

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void crashAfterFlushingBeforeCommitting(StoreKind kind) {
    runCrashScenario(kind, FaultPoint.AFTER_FLUSH_BEFORE_COMMIT, store -> store);
  }

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void crashBetweenStoreDataAndCheckpoint(StoreKind kind) {
    runCrashScenario(kind, null, DataWithoutCheckpointStore::new);
  }

  private void runCrashScenario(StoreKind kind, FaultPoint point,
      java.util.function.UnaryOperator<TreeStore> wrapFirstRun) {
    int run = RUN.incrementAndGet();
    ProcessorConfig config = topics(run, "a").withBatching(1000, 300);
    int partition = Partitions.forNamespace(NS, PARTITIONS);
    try (TreeStore store = kind.open("store-" + run);
         WriteLogFixture log = new WriteLogFixture(kafka.bootstrapServers(), config.writesTopic(), PARTITIONS)) {
      int increments = writeWorkload(log);

      FaultInjector crashOnce = p -> {
        if (p == point) {
          throw new SimulatedCrash(p);
        }
      };
      TreeStore firstStore = wrapFirstRun.apply(store);
      Processor first = Processor.start(config, firstStore, crashOnce);
      try {
        await().atMost(Duration.ofSeconds(60)).until(first::crashed);
      } finally {
        first.close();
      }
      Processor second = Processor.start(config, store);
      try {
        await().atMost(Duration.ofSeconds(60)).until(() -> store.checkpoint(partition).writesOffset() == WRITES);
      } finally {
        second.close();
      }

      assertThat(TreeJson.write(store.read(NS, Path.parse("/counter")), false)).isEqualTo(String.valueOf(increments));
      for (int i = 0; i < WRITES / 3; i++) {
        assertThat(store.exists(NS, Path.parse("/items/i" + i))).as("item " + i).isTrue();
      }
      assertThat(TreeJson.write(store.read(NS, Path.parse("/cas")), false)).isEqualTo("\"won\"");

      List<ChangeRecord> changes = log.changes(config.changesTopic(), partition);
      Map<Long, Long> perOffset = changes.stream()
          .collect(Collectors.groupingBy(ChangeRecord::sourceOffset, Collectors.counting()));
      assertThat(perOffset).hasSize(WRITES);
      assertThat(perOffset.values()).as("each write has exactly one change").containsOnly(1L);

      // Determinism: a fresh processor replaying the whole log on an empty store derives the same changes.
      ProcessorConfig replay = new ProcessorConfig(kafka.bootstrapServers(), config.writesTopic(),
          config.changesTopic() + ".replay", config.groupId() + "-replay", 7, 5);
      KafkaTopics.ensureTopics(kafka.bootstrapServers(), PARTITIONS, replay.changesTopic());
      try (TreeStore fresh = kind.open("replay-" + run)) {
        Processor replayer = Processor.start(replay, fresh);
        try {
          await().atMost(Duration.ofSeconds(60))
              .until(() -> fresh.checkpoint(partition).writesOffset() == WRITES);
        } finally {
          replayer.close();
        }
        assertThat(log.changes(replay.changesTopic(), partition)).containsExactlyElementsOf(changes);
        assertThat(NodeHash.hash(fresh.read(NS, Path.ROOT))).isEqualTo(NodeHash.hash(store.read(NS, Path.ROOT)));
      }
    }
  }

  /** Increments, sets and a compare-and-set; returns how many increments it wrote. */
  private static int writeWorkload(WriteLogFixture log) {
    int increments = 0;
    for (int i = 0; i < WRITES - 2; i++) {
      if (i % 3 == 0) {
        log.write(NS, new WriteOp.Set(Path.parse("/items/i" + i / 3),
            TreeJson.parse("{\"n\":" + i + ",\"at\":{\".sv\":\"timestamp\"}}")), null);
      } else {
        log.write(NS, new WriteOp.Set(Path.parse("/counter"), TreeJson.parse("{\".sv\":{\"increment\":1}}")), null);
        increments++;
      }
    }
    // One CAS against the absent value wins, the second (same expectation) must be rejected as stale.
    log.write(NS, new WriteOp.Set(Path.parse("/cas"), TreeJson.parse("\"won\"")), "");
    log.write(NS, new WriteOp.Set(Path.parse("/cas"), TreeJson.parse("\"lost\"")), "");
    // items use offsets 0,3,6..; count them so every third write is an item
    return increments;
  }

  private ProcessorConfig topics(int run, String suffix) {
    String writes = "w" + run + suffix;
    String changes = "c" + run + suffix;
    KafkaTopics.ensureTopics(kafka.bootstrapServers(), PARTITIONS, writes, changes);
    return new ProcessorConfig(kafka.bootstrapServers(), writes, changes, "g" + run + suffix, 1000, 300);
  }

  /** A store whose first apply writes the data but not the checkpoint, then crashes the processor. */
  private static final class DataWithoutCheckpointStore implements TreeStore {
    private final TreeStore delegate;
    private boolean crashed;

    DataWithoutCheckpointStore(TreeStore delegate) {
      this.delegate = delegate;
    }

    @Override
    public Node read(String namespace, Path path) {
      return delegate.read(namespace, path);
    }

    @Override
    public boolean exists(String namespace, Path path) {
      return delegate.exists(namespace, path);
    }

    @Override
    public List<String> childKeys(String namespace, Path path, int limit) {
      return delegate.childKeys(namespace, path, limit);
    }

    @Override
    public void apply(FlushBatch batch) {
      if (!crashed && batch.overwriteCount() > 0) {
        crashed = true;
        Checkpoint old = delegate.checkpoint(batch.partition());
        delegate.apply(new FlushBatch(batch.partition(), batch.writes(),
            new Checkpoint(old.writesOffset(), old.changesOffset(), batch.checkpoint().epoch())));
        throw new SimulatedCrash(FaultPoint.AFTER_EMIT_BEFORE_FLUSH);
      }
      delegate.apply(batch);
    }

    @Override
    public Checkpoint checkpoint(int partition) {
      return delegate.checkpoint(partition);
    }

    @Override
    public long claim(int partition) {
      return delegate.claim(partition);
    }

    @Override
    public void close() {
      // the test closes the real store
    }
  }
}
