package io.canopy.sdk.internal.events;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client's one event thread: all client state lives on it and every user callback runs on it, in submission
 * order. I/O threads only submit tasks. A task that throws is logged and does not stop the loop. The thread is a
 * daemon, so a forgotten client does not keep the JVM alive.
 */
public final class EventLoop implements Executor {
  private static final Logger LOG = LoggerFactory.getLogger(EventLoop.class);
  private static final AtomicInteger COUNTER = new AtomicInteger();

  private final ScheduledThreadPoolExecutor executor;
  private volatile Thread thread;

  public EventLoop() {
    String name = "canopy-client-" + COUNTER.incrementAndGet();
    executor = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      thread = t;
      return t;
    });
    executor.setRemoveOnCancelPolicy(true);
    executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
  }

  /** Runs {@code task} on the event thread, after the tasks already submitted; dropped once shut down. */
  @Override
  public void execute(Runnable task) {
    try {
      executor.execute(() -> run(task));
    } catch (RejectedExecutionException e) {
      LOG.debug("event loop shut down; task dropped");
    }
  }

  /** Runs {@code task} after {@code delayMs}; null once shut down. */
  public ScheduledFuture<?> schedule(Runnable task, long delayMs) {
    try {
      return executor.schedule(() -> run(task), delayMs, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      return null;
    }
  }

  private static void run(Runnable task) {
    try {
      task.run();
    } catch (RuntimeException | Error e) {
      LOG.error("Uncaught exception on the Canopy event thread", e);
    }
  }

  /** True when called on the event thread. */
  public boolean inLoop() {
    return Thread.currentThread() == thread;
  }

  /** Stops after the current task; queued tasks are dropped. */
  public void shutdown() {
    executor.shutdownNow();
  }

  /** Waits for the thread to end (not from the event thread itself). */
  public boolean awaitTermination(long millis) throws InterruptedException {
    return executor.awaitTermination(millis, TimeUnit.MILLISECONDS);
  }
}
