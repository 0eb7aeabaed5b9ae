package io.canopy.acceptance.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.firebase.database.ChildEventListener;
import com.google.firebase.database.DataSnapshot;
import com.google.firebase.database.DatabaseError;
import com.google.firebase.database.ValueEventListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.core.TerminalFailureException;

/**
 * Records SDK events in arrival order as short strings ({@code added b prev=null}, {@code value {"a":1.0}}) and
 * waits for them with Awaitility. Listener callbacks of one app arrive on its event thread, in order.
 */
public final class EventLog {
  public static final Duration TIMEOUT = Duration.ofSeconds(15);
  private final String name;
  private final List<String> events = new ArrayList<>();

  public EventLog(String name) {
    this.name = name;
  }

  public synchronized void add(String event) {
    events.add(event);
  }

  public synchronized List<String> events() {
    return List.copyOf(events);
  }

  public synchronized String last() {
    return events.isEmpty() ? null : events.get(events.size() - 1);
  }

  /** Waits until exactly {@code expected} has been recorded; fails at once when the events diverge from it. */
  public void awaitExactly(String... expected) {
    List<String> want = List.of(expected);
    try {
      await(name).atMost(TIMEOUT)
          .failFast(() -> {
            List<String> got = events();
            return got.size() > want.size() || !want.subList(0, got.size()).equals(got);
          })
          .untilAsserted(() -> assertThat(events()).as("%s: events (wire: target/firebase-admin-wire.log)", name)
              .isEqualTo(want));
    } catch (TerminalFailureException e) {
      throw new AssertionError(name + ": events diverged\n  expected: " + want + "\n  got:      " + events()
          + "\n(wire: target/firebase-admin-wire.log)");
    }
  }

  /** Waits until the latest event is {@code expected}. */
  public void awaitLast(String expected) {
    await(name).atMost(TIMEOUT).untilAsserted(() ->
        assertThat(last()).as("%s: latest event; all events: %s", name, events()).isEqualTo(expected));
  }

  /** A value listener recording {@code value <canonical json>} (or {@code cancelled <code>}). */
  public ValueEventListener valueListener() {
    return new ValueEventListener() {
      @Override
      public void onDataChange(DataSnapshot snapshot) {
        add(value(snapshot.getValue()));
      }

      @Override
      public void onCancelled(DatabaseError error) {
        add("cancelled " + error.getCode() + " " + error.getMessage());
      }
    };
  }

  /** A child listener recording {@code added|changed|moved <key> prev=<key>} and {@code removed <key>}. */
  public ChildEventListener childListener() {
    return new ChildEventListener() {
      @Override
      public void onChildAdded(DataSnapshot snapshot, String previousChildName) {
        add("added " + snapshot.getKey() + " prev=" + previousChildName);
      }

      @Override
      public void onChildChanged(DataSnapshot snapshot, String previousChildName) {
        add("changed " + snapshot.getKey() + " prev=" + previousChildName);
      }

      @Override
      public void onChildRemoved(DataSnapshot snapshot) {
        add("removed " + snapshot.getKey());
      }

      @Override
      public void onChildMoved(DataSnapshot snapshot, String previousChildName) {
        add("moved " + snapshot.getKey() + " prev=" + previousChildName);
      }

      @Override
      public void onCancelled(DatabaseError error) {
        add("cancelled " + error.getCode() + " " + error.getMessage());
      }
    };
  }

  /** The string a value listener records for {@code json} (any JSON text; numbers compare as doubles). */
  public static String value(String json) {
    return "value " + Json.write(Json.canonical(Json.parse(json)));
  }

  public static String value(Object sdkValue) {
    JsonNode c = Json.canonical(sdkValue);
    return "value " + Json.write(c);
  }
}
