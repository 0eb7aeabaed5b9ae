package io.canopy.sdk.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.canopy.sdk.CanopyException;
import io.canopy.sdk.ChildEvent;
import io.canopy.sdk.ChildListener;
import io.canopy.sdk.DataSnapshot;
import io.canopy.sdk.ValueListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Records listener events as short strings ({@code value {"a":1}}, {@code added k after p}, {@code cancelled ...})
 * together with the thread they arrived on, for assertions with Awaitility.
 */
public final class EventLog {
  private final List<String> events = new CopyOnWriteArrayList<>();
  private final List<String> threads = new CopyOnWriteArrayList<>();

  public ValueListener values() {
    return new ValueListener() {
      @Override
      public void onValue(DataSnapshot snapshot) {
        record("value " + snapshot.toJson());
      }

      @Override
      public void onCancelled(CanopyException error) {
        record("cancelled " + error.code());
      }
    };
  }

  public ChildListener children() {
    ChildListener inner = ChildListener.of(e -> record(describe(e)));
    return new ChildListener() {
      @Override
      public void onChildAdded(DataSnapshot s, String prev) {
        inner.onChildAdded(s, prev);
      }

      @Override
      public void onChildChanged(DataSnapshot s, String prev) {
        inner.onChildChanged(s, prev);
      }

      @Override
      public void onChildRemoved(DataSnapshot s) {
        inner.onChildRemoved(s);
      }

      @Override
      public void onChildMoved(DataSnapshot s, String prev) {
        inner.onChildMoved(s, prev);
      }

      @Override
      public void onCancelled(CanopyException error) {
        record("cancelled " + error.code());
      }
    };
  }

  /** {@code added k after p = json}, {@code removed k}, ... */
  public static String describe(ChildEvent e) {
    String type = e.type().name().toLowerCase();
    String s = type + " " + e.snapshot().key();
    if (e.type() != ChildEvent.Type.REMOVED) {
      s += (e.previousChildKey() == null ? " first" : " after " + e.previousChildKey());
    }
    return s;
  }

  private void record(String event) {
    events.add(event);
    threads.add(Thread.currentThread().getName());
  }

  public List<String> events() {
    return new ArrayList<>(events);
  }

  public List<String> threads() {
    return new ArrayList<>(threads);
  }

  public String last() {
    return events.isEmpty() ? null : events.get(events.size() - 1);
  }

  public void clear() {
    events.clear();
    threads.clear();
  }

  /** Waits until the last event is {@code expected}. */
  public void awaitLast(String expected) {
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(last()).as("last of %s", events)
        .isEqualTo(expected));
  }

  /** Waits until exactly {@code expected} were recorded, in order. */
  public void awaitExactly(String... expected) {
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(events).containsExactly(expected));
  }

  /** Waits until at least {@code n} events were recorded. */
  public void awaitCount(int n) {
    await().atMost(Duration.ofSeconds(20)).until(() -> events.size() >= n);
  }

  @Override
  public String toString() {
    return events.toString();
  }
}
