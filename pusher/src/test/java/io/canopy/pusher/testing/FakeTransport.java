package io.canopy.pusher.testing;

import io.canopy.pusher.DataPush;
import io.canopy.pusher.SessionTransport;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A transport that records what it is given and can be made unwritable ("slow"); it checks the outbox's promise
 * of never writing concurrently.
 */
public final class FakeTransport implements SessionTransport {
  private final List<Object> written = new ArrayList<>();
  private final AtomicInteger inWrite = new AtomicInteger();
  private volatile boolean writable = true;
  private Runnable pendingCallback;
  private volatile boolean concurrentWrite;

  @Override
  public void write(Object item) {
    if (inWrite.incrementAndGet() != 1) {
      concurrentWrite = true;
    }
    synchronized (this) {
      written.add(item);
    }
    inWrite.decrementAndGet();
  }

  @Override
  public boolean writable() {
    return writable;
  }

  @Override
  public synchronized void onWritable(Runnable callback) {
    pendingCallback = callback;
  }

  /** Stops taking items: the outbox queues them. */
  public void block() {
    writable = false;
  }

  /** Takes items again and calls the registered callback, as a drained socket does. */
  public void unblock() {
    writable = true;
    Runnable cb;
    synchronized (this) {
      cb = pendingCallback;
      pendingCallback = null;
    }
    if (cb != null) {
      cb.run();
    }
  }

  public synchronized List<Object> written() {
    return new ArrayList<>(written);
  }

  /** The written items as text: DataPushes as "d /path json #tag" / "m /path ...", others with toString. */
  public synchronized List<String> log() {
    List<String> out = new ArrayList<>();
    for (Object o : written) {
      out.add(o instanceof DataPush p ? Pushes.show(p) : String.valueOf(o));
    }
    return out;
  }

  public synchronized void clear() {
    written.clear();
  }

  public boolean sawConcurrentWrite() {
    return concurrentWrite;
  }
}
