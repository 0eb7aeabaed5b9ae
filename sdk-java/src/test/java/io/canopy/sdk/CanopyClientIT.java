package io.canopy.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.canopy.sdk.testing.EventLog;
import io.canopy.sdk.testing.TestServer;
import java.time.Duration;
import org.awaitility.Awaitility;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/** The SDK against a real in-process server: writes, reads, listeners, queries, transactions, onDisconnect, .info. */
class CanopyClientIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(20);
  private static TestServer server;
  private final List<CanopyClient> clients = new ArrayList<>();
  private String ns;

  @BeforeAll
  static void startServer() {
    server = TestServer.start();
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  @BeforeEach
  void namespace(TestInfo info) {
    ns = TestServer.namespace(info.getTestMethod().orElseThrow().getName());
  }

  @AfterEach
  void closeClients() {
    clients.forEach(CanopyClient::close);
    clients.clear();
  }

  private CanopyClient client() {
    CanopyClient c = Canopy.connect(server.url(ns), Credentials.admin());
    clients.add(c);
    return c;
  }

  private static <T> T done(CompletableFuture<T> f) {
    assertThat(f).succeedsWithin(TIMEOUT);
    return f.join();
  }

  @Test
  void setThenGetAndAnotherClientSeesIt() {
    CanopyClient a = client();
    CanopyClient b = client();
    EventLog seen = new EventLog();
    b.ref("doc").addValueListener(seen.values());
    seen.awaitExactly("value null");

    done(a.ref("doc").set(Map.of("a", 1, "b", Map.of("c", "x"))));
    seen.awaitLast("value {\"a\":1,\"b\":{\"c\":\"x\"}}");
    assertThat(done(a.ref("doc/b/c").get()).getValue()).isEqualTo("x");
    assertThat(done(b.ref("doc").get()).getValue()).isEqualTo(Map.of("a", 1L, "b", Map.of("c", "x")));

    Map<String, Object> update = new LinkedHashMap<>();
    update.put("a", 2);
    update.put("b/d", true);
    update.put("b/c", null);
    done(a.ref("doc").update(update));
    seen.awaitLast("value {\"a\":2,\"b\":{\"d\":true}}");

    done(a.ref("doc").remove());
    seen.awaitLast("value null");
    assertThat(done(a.ref("doc").get()).exists()).isFalse();
    assertThat(seen.threads()).allMatch(t -> t.startsWith("canopy-client-"));
  }

  @Test
  void childListenersAndLimitedQueryFollowTheServersOrderIncludingMoves() {
    CanopyClient writer = client();
    CanopyClient reader = client();
    DatabaseReference scores = writer.ref("scores");
    done(scores.set(Map.of("ada", Map.of("score", 10), "bob", Map.of("score", 20), "cy", Map.of("score", 30),
        "dan", Map.of("score", 5))));

    EventLog top = new EventLog();
    Query top2 = reader.ref("scores").orderByChild("score").limitToLast(2);
    top2.addChildListener(top.children());
    top.awaitExactly("added bob first", "added cy after bob");

    EventLog all = new EventLog();
    reader.ref("scores").orderByChild("score").addChildListener(all.children());
    all.awaitExactly("added dan first", "added ada after dan", "added bob after ada", "added cy after bob");
    top.clear();
    all.clear();

    done(scores.child("ada/score").set(25)); // ada enters the window, bob leaves it
    top.awaitExactly("removed bob", "added ada first");
    all.awaitExactly("moved ada after bob", "changed ada after bob");
    top.clear();

    done(scores.child("ada/score").set(40)); // ada moves to the top, within the window
    top.awaitExactly("moved ada after cy", "changed ada after cy");

    DataSnapshot window = done(reader.ref("scores").orderByChild("score").limitToLast(2).get());
    List<String> keys = new ArrayList<>();
    window.children().forEach(c -> keys.add(c.key()));
    assertThat(keys).containsExactly("cy", "ada");
    assertThat(done(reader.ref("scores").orderByKey().startAfter("bob").endAt("dan").get()).toJson())
        .isEqualTo("{\"cy\":{\"score\":30},\"dan\":{\"score\":5}}");
    assertThat(done(reader.ref("scores").orderByChild("score").equalTo(5).get()).toJson())
        .isEqualTo("{\"dan\":{\"score\":5}}");
  }

  @Test
  void optimisticWritesFireAtOnceAndPushIdsIncrease() {
    CanopyClient c = client();
    EventLog seen = new EventLog();
    c.ref("list").addChildListener(seen.children());
    done(c.ref("list").get());
    DatabaseReference first = c.ref("list").push();
    DatabaseReference second = c.ref("list").push();
    assertThat(first.key()).hasSize(20).isLessThan(second.key());
    c.goOffline();
    CompletableFuture<Void> w1 = first.set("one");
    CompletableFuture<Void> w2 = second.set("two");
    // offline: the listener sees both writes although the server has not acknowledged them
    seen.awaitExactly("added " + first.key() + " first", "added " + second.key() + " after " + first.key());
    assertThat(w1).isNotDone();
    c.goOnline();
    done(w1);
    done(w2);
    assertThat(done(client().ref("list").get()).getChildrenCount()).isEqualTo(2);
    assertThat(seen.events()).hasSize(2); // the server's echo changed nothing visible
  }

  @Test
  void concurrentTransactionsFromTwoClientsCountExactly() {
    CanopyClient a = client();
    CanopyClient b = client();
    int perClient = 15;
    List<CompletableFuture<TransactionResult>> results = new ArrayList<>();
    for (int i = 0; i < perClient; i++) {
      for (CanopyClient c : List.of(a, b)) {
        results.add(c.ref("counter").runTransaction(cur -> {
          Long n = cur.getValue(Long.class);
          return n == null ? 1 : n + 1;
        }));
      }
    }
    for (CompletableFuture<TransactionResult> r : results) {
      assertThat(done(r).committed()).isTrue();
    }
    assertThat(done(client().ref("counter").get()).getValue()).isEqualTo((long) 2 * perClient);

    TransactionResult aborted = done(a.ref("counter").runTransaction(cur -> Transaction.abort()));
    assertThat(aborted.committed()).isFalse();
    assertThat(aborted.snapshot().getValue()).isEqualTo((long) 2 * perClient);
    TransactionResult removed = done(a.ref("counter").runTransaction(cur -> Transaction.remove()));
    assertThat(removed.committed()).isTrue();
    assertThat(removed.snapshot().exists()).isFalse();
  }

  @Test
  void presenceWithOnDisconnectAndInfoConnected() {
    CanopyClient watcher = client();
    CanopyClient user = client();
    EventLog connected = new EventLog();
    user.ref(".info/connected").addValueListener(connected.values());
    connected.awaitLast("value true");
    assertThat(done(user.ref(".info/serverTimeOffset").get()).getValue(Long.class)).isNotNull();
    assertThatThrownBy(() -> user.ref(".info/connected").set(false)).isInstanceOf(InvalidDataException.class);

    DatabaseReference status = user.ref("status/ada");
    done(status.onDisconnect().set(Map.of("online", false, "lastSeen", ServerValue.TIMESTAMP)));
    done(user.ref("status/cancelled").onDisconnect().set("never"));
    done(user.ref("status/cancelled").onDisconnect().cancel());
    done(status.set(Map.of("online", true)));

    EventLog seen = new EventLog();
    watcher.ref("status").addValueListener(seen.values());
    seen.awaitLast("value {\"ada\":{\"online\":true}}");

    long before = System.currentTimeMillis();
    user.close(); // the server runs the onDisconnect writes
    Awaitility.await().atMost(TIMEOUT).untilAsserted(() -> assertThat(seen.last()).contains("\"online\":false"));
    DataSnapshot after = done(watcher.ref("status").get());
    assertThat(after.hasChild("cancelled")).isFalse();
    assertThat(after.child("ada/lastSeen").getValue(Long.class)).isBetween(before - 60_000, before + 60_000);
  }

  @Test
  void serverValuesShowAtOnceAndResolveOnTheServer() {
    CanopyClient c = client();
    EventLog seen = new EventLog();
    c.ref("stats/visits").addValueListener(seen.values());
    seen.awaitExactly("value null");
    done(c.ref("stats/visits").set(ServerValue.increment(2)));
    done(c.ref("stats/visits").set(ServerValue.increment(3)));
    seen.awaitLast("value 5");
    done(c.ref("stats/at").set(ServerValue.TIMESTAMP));
    long at = done(c.ref("stats/at").get()).getValue(Long.class);
    assertThat(at).isBetween(System.currentTimeMillis() - 60_000, System.currentTimeMillis() + 60_000);
    done(c.ref("stats/visits").setPriority(7));
    assertThat(done(c.ref("stats/visits").get()).getPriority()).isEqualTo(7.0);
    done(c.ref("stats/named").setWithPriority("x", "p"));
    assertThat(done(c.ref("stats/named").get()).getExportValue()).isEqualTo(Map.of(".value", "x", ".priority", "p"));
  }

  /** A chat message, mapped by Jackson. */
  record Message(String author, String text, long sentAt) {}

  /** A POJO with a no-arg constructor and setters. */
  public static final class Profile {
    private String name;
    private List<String> tags;

    public String getName() {
      return name;
    }

    public void setName(String name) {
      this.name = name;
    }

    public List<String> getTags() {
      return tags;
    }

    public void setTags(List<String> tags) {
      this.tags = tags;
    }
  }

  @Test
  void recordsAndPojosRoundTripThroughJackson() {
    CanopyClient c = client();
    done(c.ref("messages/m1").set(new Message("ada", "hello", 42)));
    Message m = done(c.ref("messages/m1").get()).getValue(Message.class);
    assertThat(m).isEqualTo(new Message("ada", "hello", 42));

    Profile p = new Profile();
    p.setName("Ada");
    p.setTags(List.of("math", "engines"));
    done(c.ref("profiles/ada").set(p));
    DataSnapshot snap = done(c.ref("profiles/ada").get());
    assertThat(snap.getValue()).isEqualTo(Map.of("name", "Ada", "tags", List.of("math", "engines")));
    assertThat(snap.getValue(Profile.class).getTags()).containsExactly("math", "engines");
    assertThatThrownBy(() -> c.ref("bad").set(Map.of("a.b", 1))).isInstanceOf(InvalidDataException.class);
    assertThatThrownBy(() -> c.ref("bad").set(Double.NaN)).isInstanceOf(InvalidDataException.class);
    assertThatThrownBy(() -> c.ref("a#b")).isInstanceOf(InvalidDataException.class);
    assertThatThrownBy(() -> c.ref("x").update(Map.of("a", 1, "a/b", 2))).isInstanceOf(InvalidDataException.class);
  }

  @Test
  void closeReleasesTheClientAndFailsPendingWrites() throws Exception {
    CanopyClient c = Canopy.connect(server.url(ns));
    done(c.ref("x").set(1));
    c.goOffline();
    CompletableFuture<Void> pending = c.ref("x").set(2);
    EventLog seen = new EventLog();
    Registration r = c.ref("x").addValueListener(seen.values());
    seen.awaitExactly("value 2");
    r.close();
    c.close();
    assertThat(pending).failsWithin(TIMEOUT).withThrowableOfType(java.util.concurrent.ExecutionException.class)
        .havingCause().isInstanceOf(CanopyException.class)
        .matches(e -> ((CanopyException) e).code() == CanopyException.Code.CLIENT_CLOSED);
    assertThatThrownBy(() -> c.ref("x").set(3)).isInstanceOf(CanopyException.class);
    Awaitility.await().atMost(TIMEOUT).until(() -> Thread.getAllStackTraces().keySet().stream()
        .noneMatch(t -> t.getName().equals(seen.threads().get(0))));
  }
}
