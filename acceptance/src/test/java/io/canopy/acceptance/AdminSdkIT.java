package io.canopy.acceptance;

import static io.canopy.acceptance.testing.AdminApps.await;
import static io.canopy.acceptance.testing.EventLog.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.firebase.database.DataSnapshot;
import com.google.firebase.database.DatabaseError;
import com.google.firebase.database.DatabaseReference;
import com.google.firebase.database.FirebaseDatabase;
import com.google.firebase.database.MutableData;
import com.google.firebase.database.Query;
import com.google.firebase.database.Transaction;
import io.canopy.acceptance.testing.AdminApps;
import io.canopy.acceptance.testing.CanopyProcess;
import io.canopy.acceptance.testing.EventLog;
import io.canopy.acceptance.testing.Json;
import io.canopy.acceptance.testing.Namespaces;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The official Java {@code firebase-admin} 9.11.0 against canopy-server.jar, as it would run against the
 * Firebase Database Emulator: writes with completion, value and child listeners on refs and queries,
 * transactions from several connections, onDisconnect. Expected events are Firebase's documented semantics; the
 * wire exchange of every app is in {@code target/firebase-admin-wire.log}.
 */
class AdminSdkIT {
  private static CanopyProcess server;
  private static AdminApps apps;
  private String ns;

  @BeforeAll
  static void startServer() {
    server = CanopyProcess.start("admin-sdk");
    apps = new AdminApps(server);
  }

  @AfterAll
  static void stopServer() {
    if (apps != null) {
      apps.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @BeforeEach
  void namespace(TestInfo test) {
    ns = Namespaces.unique("admin", test);
  }

  @AfterEach
  void closeApps() {
    apps.close();
  }

  @Test
  void setUpdatePushRemoveCompleteAndAnotherConnectionSeesEveryState() {
    FirebaseDatabase writer = apps.database(ns);
    FirebaseDatabase reader = apps.database(ns);
    EventLog seen = new EventLog("reader of /doc");
    reader.getReference("doc").addValueEventListener(seen.valueListener());
    seen.awaitExactly(value("null"));

    await(writer.getReference("doc").setValueAsync(Map.of("a", 1, "b", Map.of("c", "x"))), "set /doc");
    seen.awaitLast(value("{\"a\":1,\"b\":{\"c\":\"x\"}}"));

    Map<String, Object> update = new HashMap<>();
    update.put("a", 2);
    update.put("b/d", true);
    update.put("e", null);
    await(writer.getReference("doc").updateChildrenAsync(update), "update /doc");
    seen.awaitLast(value("{\"a\":2,\"b\":{\"c\":\"x\",\"d\":true}}"));

    DatabaseReference first = writer.getReference("doc/list").push();
    DatabaseReference second = writer.getReference("doc/list").push();
    assertThat(first.getKey()).hasSize(20).isLessThan(second.getKey());
    await(first.setValueAsync("p1"), "push p1");
    await(second.setValueAsync("p2"), "push p2");
    seen.awaitLast(value("{\"a\":2,\"b\":{\"c\":\"x\",\"d\":true},\"list\":{\"" + first.getKey() + "\":\"p1\",\""
        + second.getKey() + "\":\"p2\"}}"));

    CompletableFuture<DatabaseError> removed =
        AdminApps.completion(done -> writer.getReference("doc/b").removeValue(done));
    assertThat(removed).succeedsWithin(AdminApps.OP_TIMEOUT).isNull();
    String expected = "{\"a\":2,\"list\":{\"" + first.getKey() + "\":\"p1\",\"" + second.getKey() + "\":\"p2\"}}";
    seen.awaitLast(value(expected));
    assertThat(Json.canonical(server.rest().get(ns, "doc"))).isEqualTo(Json.canonical(Json.parse(expected)));

    CompletableFuture<DatabaseError> set =
        AdminApps.completion(done -> writer.getReference("doc").setValue(null, done));
    assertThat(set).succeedsWithin(AdminApps.OP_TIMEOUT).isNull();
    seen.awaitLast(value("null"));
    assertThat(server.rest().get(ns, "doc").isNull()).isTrue();
  }

  /**
   * The writer's own listener must show its write once: the server pushes the new value to the writer before
   * acknowledging the write (PROTOCOL.md §3.3). Without that echo the SDK reverts to its stale server cache on
   * the ack, which shows as value events null → v → null (→ v).
   */
  @Test
  void theWritersOwnListenerSeesItsWriteWithoutFlicker() {
    FirebaseDatabase db = apps.database(ns);
    EventLog seen = new EventLog("writer's own listener");
    db.getReference("own").addValueEventListener(seen.valueListener());
    seen.awaitExactly(value("null"));
    await(db.getReference("own").setValueAsync(Map.of("v", 1)), "set /own");
    await(db.getReference("own/v").setValueAsync(2), "set /own/v");
    // One more round trip on the same connection: anything the server sends about /own arrives before its ack.
    await(db.getReference("elsewhere").setValueAsync(true), "set /elsewhere");
    seen.awaitExactly(value("null"), value("{\"v\":1}"), value("{\"v\":2}"));
  }

  @Test
  void childEventsOnAPlainRefCarryPreviousKeys() {
    FirebaseDatabase writer = apps.database(ns);
    FirebaseDatabase reader = apps.database(ns);
    EventLog seen = new EventLog("child events of /items");
    reader.getReference("items").addChildEventListener(seen.childListener());
    // An empty location fires no child event; a write elsewhere proves the listen is in place.
    EventLog ready = new EventLog("value of /items");
    reader.getReference("items").addValueEventListener(ready.valueListener());
    ready.awaitExactly(value("null"));

    await(writer.getReference("items/b").setValueAsync(2), "set b");
    seen.awaitExactly("added b prev=null");
    await(writer.getReference("items/a").setValueAsync(1), "set a");
    seen.awaitExactly("added b prev=null", "added a prev=null");
    await(writer.getReference("items/c").setValueAsync(3), "set c");
    seen.awaitExactly("added b prev=null", "added a prev=null", "added c prev=b");
    await(writer.getReference("items/b").setValueAsync(20), "change b");
    seen.awaitExactly("added b prev=null", "added a prev=null", "added c prev=b", "changed b prev=a");
    await(writer.getReference("items/a").removeValueAsync(), "remove a");
    seen.awaitExactly("added b prev=null", "added a prev=null", "added c prev=b", "changed b prev=a", "removed a");
  }

  /**
   * orderByChild + limitToLast(3) is a tagged listen with a server-side window; children entering and leaving the
   * window, and moving inside it, must produce Firebase's events in Firebase's order (removed, added, moved,
   * changed).
   */
  @Test
  void orderByChildLimitToLastWindowMovesAsChildrenEnterAndLeave() {
    FirebaseDatabase writer = apps.database(ns);
    Map<String, Object> scores = new LinkedHashMap<>();
    scores.put("a", Map.of("score", 10));
    scores.put("b", Map.of("score", 20));
    scores.put("c", Map.of("score", 30));
    scores.put("d", Map.of("score", 40));
    await(writer.getReference("board").setValueAsync(scores), "set /board");

    FirebaseDatabase reader = apps.database(ns);
    Query top3 = reader.getReference("board").orderByChild("score").limitToLast(3);
    EventLog seen = new EventLog("board top 3 (child events)");
    EventLog values = new EventLog("board top 3 (value)");
    top3.addChildEventListener(seen.childListener());
    top3.addValueEventListener(values.valueListener());
    List<String> want = new ArrayList<>(List.of("added b prev=null", "added c prev=b", "added d prev=c"));
    seen.awaitExactly(want.toArray(new String[0]));
    values.awaitLast(value("{\"b\":{\"score\":20},\"c\":{\"score\":30},\"d\":{\"score\":40}}"));

    await(writer.getReference("board/a/score").setValueAsync(50), "a enters at the top");
    want.addAll(List.of("removed b", "added a prev=d"));
    seen.awaitExactly(want.toArray(new String[0]));

    await(writer.getReference("board/c/score").setValueAsync(5), "c drops out, b comes back");
    want.addAll(List.of("removed c", "added b prev=null"));
    seen.awaitExactly(want.toArray(new String[0]));

    await(writer.getReference("board/d/score").setValueAsync(60), "d moves above a");
    want.addAll(List.of("moved d prev=a", "changed d prev=a"));
    seen.awaitExactly(want.toArray(new String[0]));

    await(writer.getReference("board/a").removeValueAsync(), "a removed, c comes back");
    want.addAll(List.of("removed a", "added c prev=null"));
    seen.awaitExactly(want.toArray(new String[0]));
    values.awaitLast(value("{\"c\":{\"score\":5},\"b\":{\"score\":20},\"d\":{\"score\":60}}"));
  }

  /** A range query (startAt/endAt on a child index): children move in and out of the range. */
  @Test
  void orderByChildRangeQueryFollowsChildrenInAndOut() {
    FirebaseDatabase writer = apps.database(ns);
    await(writer.getReference("people").setValueAsync(Map.of(
        "ann", Map.of("age", 17), "bob", Map.of("age", 25), "cid", Map.of("age", 40))), "set /people");
    FirebaseDatabase reader = apps.database(ns);
    EventLog seen = new EventLog("adults under 40");
    reader.getReference("people").orderByChild("age").startAt(18).endAt(39).addChildEventListener(seen.childListener());
    seen.awaitExactly("added bob prev=null");
    await(writer.getReference("people/ann/age").setValueAsync(18), "ann turns 18");
    seen.awaitExactly("added bob prev=null", "added ann prev=null");
    await(writer.getReference("people/bob/age").setValueAsync(40), "bob leaves the range");
    seen.awaitExactly("added bob prev=null", "added ann prev=null", "removed bob");
    await(writer.getReference("people/dan").setValueAsync(Map.of("age", 30)), "dan joins");
    seen.awaitExactly("added bob prev=null", "added ann prev=null", "removed bob", "added dan prev=ann");
  }

  /** A default listen ordered by child (no limit): ordering and moves are computed by the client. */
  @Test
  void orderByChildWithoutLimitReportsMoves() {
    FirebaseDatabase writer = apps.database(ns);
    await(writer.getReference("race").setValueAsync(Map.of(
        "x", Map.of("t", 3), "y", Map.of("t", 1), "z", Map.of("t", 2))), "set /race");
    FirebaseDatabase reader = apps.database(ns);
    EventLog seen = new EventLog("race by t");
    reader.getReference("race").orderByChild("t").addChildEventListener(seen.childListener());
    seen.awaitExactly("added y prev=null", "added z prev=y", "added x prev=z");
    await(writer.getReference("race/y/t").setValueAsync(9), "y to the end");
    seen.awaitExactly("added y prev=null", "added z prev=y", "added x prev=z", "moved y prev=x",
        "changed y prev=x");
  }

  /** 5 apps = 5 connections increment one counter 40 times each with transactions: exactly 200. */
  @Test
  void transactionsFromFiveConnectionsCountExactly() throws Exception {
    int appsCount = 5;
    int perApp = 40;
    List<FirebaseDatabase> dbs = new ArrayList<>();
    for (int i = 0; i < appsCount; i++) {
      dbs.add(apps.database(ns));
    }
    AtomicInteger retriedAfterMaxRetries = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(appsCount);
    try {
      List<Future<Integer>> results = new ArrayList<>();
      for (FirebaseDatabase db : dbs) {
        results.add(pool.submit(() -> {
          int committed = 0;
          while (committed < perApp) {
            CompletableFuture<String> done = new CompletableFuture<>();
            db.getReference("counter").runTransaction(new Transaction.Handler() {
              @Override
              public Transaction.Result doTransaction(MutableData current) {
                Long value = current.getValue(Long.class);
                current.setValue(value == null ? 1 : value + 1);
                return Transaction.success(current);
              }

              @Override
              public void onComplete(DatabaseError error, boolean wasCommitted, DataSnapshot snapshot) {
                done.complete(error != null ? "error " + error.getCode() + " " + error.getMessage()
                    : wasCommitted ? "committed" : "aborted");
              }
            });
            String outcome = done.get(30, TimeUnit.SECONDS);
            if (outcome.equals("committed")) {
              committed++;
            } else if (outcome.startsWith("error " + DatabaseError.MAX_RETRIES)) {
              retriedAfterMaxRetries.incrementAndGet(); // 25 lost races in a row: allowed, run it again
            } else {
              throw new AssertionError("transaction " + (committed + 1) + " ended with " + outcome);
            }
          }
          return committed;
        }));
      }
      int total = 0;
      for (Future<Integer> r : results) {
        total += r.get(120, TimeUnit.SECONDS);
      }
      assertThat(total).isEqualTo(appsCount * perApp);
    } finally {
      pool.shutdownNow();
    }
    assertThat(server.rest().get(ns, "counter").asLong())
        .as("counter after %d committed transactions (%d reruns after maxretries)", appsCount * perApp,
            retriedAfterMaxRetries.get())
        .isEqualTo(appsCount * perApp);
    // Every connection converges on the final value too.
    for (FirebaseDatabase db : dbs) {
      EventLog counter = new EventLog("counter on " + db.getApp().getName());
      db.getReference("counter").addValueEventListener(counter.valueListener());
      counter.awaitLast(value(String.valueOf(appsCount * perApp)));
    }
  }

  @Test
  void onDisconnectWritesRunWhenTheClientGoesOffline() {
    FirebaseDatabase leaving = apps.database(ns);
    FirebaseDatabase watcher = apps.database(ns);
    await(leaving.getReference("presence/alice").setValueAsync("online"), "set online");
    await(leaving.getReference("kept").setValueAsync("original"), "set kept");
    await(leaving.getReference("presence/alice").onDisconnect().setValueAsync("offline"), "onDisconnect set");
    await(leaving.getReference("kept").onDisconnect().setValueAsync("overwritten"), "onDisconnect set /kept");
    await(leaving.getReference("kept").onDisconnect().cancelAsync(), "onDisconnect cancel /kept");
    await(leaving.getReference("sessions").onDisconnect().updateChildrenAsync(Map.of("alice", false, "n", 1)),
        "onDisconnect update");

    EventLog presence = new EventLog("watcher of /presence/alice");
    watcher.getReference("presence/alice").addValueEventListener(presence.valueListener());
    presence.awaitExactly(value("\"online\""));
    EventLog sessions = new EventLog("watcher of /sessions");
    watcher.getReference("sessions").addValueEventListener(sessions.valueListener());
    sessions.awaitExactly(value("null"));

    leaving.goOffline();
    presence.awaitExactly(value("\"online\""), value("\"offline\""));
    sessions.awaitExactly(value("null"), value("{\"alice\":false,\"n\":1}"));
    assertThat(server.rest().get(ns, "kept").asText()).as("cancelled onDisconnect must not run").isEqualTo("original");
  }

  @Test
  void onDisconnectWritesRunWhenTheAppIsDeleted() {
    FirebaseDatabase leaving = apps.database(ns);
    FirebaseDatabase watcher = apps.database(ns);
    await(leaving.getReference("status/bob").onDisconnect().setValueAsync(Map.of("state", "gone")),
        "onDisconnect set");
    EventLog status = new EventLog("watcher of /status/bob");
    watcher.getReference("status/bob").addValueEventListener(status.valueListener());
    status.awaitExactly(value("null"));
    apps.delete(leaving);
    status.awaitExactly(value("null"), value("{\"state\":\"gone\"}"));
  }

  /**
   * A value far over 64 KiB: the SDK sends it as a count frame and 16 384-character pieces, and the server must
   * split its push the same way (Netty in the Java SDK drops the connection on a frame over 65 536 bytes).
   */
  @Test
  void valuesOver64KiBTravelInPiecesBothWays() {
    Map<String, Object> big = new LinkedHashMap<>();
    big.put("ascii", "x".repeat(100_000));
    big.put("wide", "é€😀".repeat(15_000)); // 2-, 3- and 4-byte UTF-8
    Map<String, Object> many = new LinkedHashMap<>();
    for (int i = 0; i < 500; i++) {
      many.put("k" + i, ("value number " + i + " ").repeat(4));
    }
    big.put("many", many);
    String expected = Json.write(Json.canonical(big));

    FirebaseDatabase writer = apps.database(ns);
    FirebaseDatabase reader = apps.database(ns);
    EventLog seen = new EventLog("reader of /big");
    reader.getReference("big").addValueEventListener(seen.valueListener());
    seen.awaitExactly(value("null"));
    await(writer.getReference("big").setValueAsync(big), "set 250 KB");
    seen.awaitExactly(value("null"), value(expected));
    assertThat(Json.canonical(server.rest().get(ns, "big"))).isEqualTo(Json.canonical(big));
    // The reader's connection survived the big push: it still gets small updates.
    await(writer.getReference("big/ascii").setValueAsync("small"), "shrink");
    big.put("ascii", "small");
    seen.awaitLast(value(Json.write(Json.canonical(big))));
  }

  /** Data written by REST (another door into the same tree) reaches SDK listeners, and vice versa. */
  @Test
  void restAndRealtimeSeeOneTree() {
    FirebaseDatabase db = apps.database(ns);
    EventLog seen = new EventLog("listener of /shared");
    db.getReference("shared").addValueEventListener(seen.valueListener());
    seen.awaitExactly(value("null"));
    server.rest().put(ns, "shared", "{\"from\":\"rest\"}");
    seen.awaitExactly(value("null"), value("{\"from\":\"rest\"}"));
    await(db.getReference("shared/from").setValueAsync("sdk"), "set from the SDK");
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(server.rest().get(ns, "shared")).isEqualTo(Json.parse("{\"from\":\"sdk\"}")));
  }
}
