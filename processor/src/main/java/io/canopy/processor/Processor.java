package io.canopy.processor;

import io.canopy.processor.FaultInjector.SimulatedCrash;
import io.canopy.processor.intake.IntakeCounters;
import io.canopy.processor.intake.IntakeLoop;
import io.canopy.store.FencedException;
import io.canopy.store.TreeStore;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A processor: a member of the processor consumer group that owns some partitions of the write log and turns
 * their writes into changes and store flushes. If processing fails (Kafka or the store unavailable) it starts
 * over after a pause, recovering each partition from the store's checkpoint; if it was fenced (another processor
 * claimed a partition it still held), it starts over at once; a {@link SimulatedCrash} stops it for good, as a
 * killed process would.
 */
public final class Processor implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Processor.class);
  private static final long RESTART_PAUSE_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final ProcessorConfig config;
  private final TreeStore store;
  private final FaultInjector faults;
  private final IntakeCounters counters = new IntakeCounters();
  private final Thread thread;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile IntakeLoop loop;
  private volatile boolean running = true;
  private volatile boolean crashed;

  private Processor(ProcessorConfig config, TreeStore store, FaultInjector faults) {
    this.config = config;
    this.store = store;
    this.faults = faults;
    this.thread = new Thread(this::run, "canopy-processor");
  }

  public static Processor start(ProcessorConfig config, TreeStore store) {
    return start(config, store, FaultInjector.NONE);
  }

  /** Starts with fault points armed (tests of crash recovery). */
  public static Processor start(ProcessorConfig config, TreeStore store, FaultInjector faults) {
    Processor p = new Processor(config, store, faults);
    p.thread.start();
    return p;
  }

  private void run() {
    try {
      while (running) {
        IntakeLoop l = new IntakeLoop(config, store, faults, counters);
        loop = l;
        try {
          l.run();
          l.close();
        } catch (SimulatedCrash e) {
          LOG.warn("processor: {}", e.getMessage());
          crashed = true;
          l.abort();
          return;
        } catch (FencedException e) {
          // This processor stalled past its session and another took the partition over: start afresh.
          LOG.warn("processor fenced: {}; rejoining the group", e.getMessage());
          l.abort();
        } catch (RuntimeException e) {
          LOG.error("processor failed; restarting from the store checkpoints", e);
          l.abort();
          if (running) {
            LockSupport.parkNanos(RESTART_PAUSE_NANOS);
          }
        }
      }
    } finally {
      loop = null;
      stopped.countDown();
    }
  }

  public ProcessorStats stats() {
    return counters.snapshot();
  }

  /** The write-log partitions this processor owns right now. */
  public Set<Integer> ownedPartitions() {
    IntakeLoop l = loop;
    return l == null ? Set.of() : l.ownedPartitions();
  }

  /** True once a {@link SimulatedCrash} stopped it. */
  public boolean crashed() {
    return crashed;
  }

  /** Flushes what it holds, leaves the group and stops. */
  @Override
  public void close() {
    running = false;
    IntakeLoop l = loop;
    if (l != null) {
      l.stop();
    }
    try {
      if (!stopped.await(30, TimeUnit.SECONDS)) {
        LOG.warn("processor did not stop within 30 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
