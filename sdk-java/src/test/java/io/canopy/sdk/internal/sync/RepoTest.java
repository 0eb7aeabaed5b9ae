package io.canopy.sdk.internal.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.canopy.core.hash.NodeHash;
import io.canopy.core.json.TreeJson;
import io.canopy.core.path.Path;
import io.canopy.core.query.ChildChange;
import io.canopy.core.query.QuerySpec;
import io.canopy.core.tree.LeafNode;
import io.canopy.core.tree.Node;
import io.canopy.sdk.CanopyException;
import io.canopy.sdk.DisconnectedException;
import io.canopy.sdk.PermissionDeniedException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The local cache, optimistic writes and event generation against a scripted server: exact message sequences in,
 * exact events out.
 */
class RepoTest {
  private final FakeServer server = new FakeServer();

  @AfterEach
  void close() {
    server.close();
  }

  /** Records events as strings: {@code value <json>}, {@code added k after p}, ... */
  static final class Log implements EventSink {
    final List<String> events = new CopyOnWriteArrayList<>();

    @Override
    public void onValue(Node value) {
      events.add("value " + TreeJson.write(value, false));
    }

    @Override
    public void onChildChange(ChildChange c) {
      String name = c.type().name().toLowerCase();
      events.add(name + " " + c.key() + (c.type() == ChildChange.Type.REMOVED ? ""
          : c.prevKey() == null ? " first" : " after " + c.prevKey()));
    }

    @Override
    public void onCancelled(CanopyException error) {
      events.add("cancelled " + error.code());
    }

    void awaitExactly(String... expected) {
      await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(events).containsExactly(expected));
    }
  }

  private static Node json(String text) {
    return TreeJson.parse(text);
  }

  private static <T> T done(CompletableFuture<T> f) {
    assertThat(f).succeedsWithin(Duration.ofSeconds(5));
    return f.join();
  }

  @Test
  void optimisticSetShowsAtOnceAndARefusedWriteRevertsWithEvents() {
    server.connect();
    Log log = new Log();
    server.repo.addListener(Path.parse("a"), QuerySpec.DEFAULT, false, log, true, false);
    JsonNode listen = server.next("q");
    assertThat(listen.path("b").path("p").asText()).isEqualTo("a");
    server.push("a", "1", null);
    server.ok(listen);
    log.awaitExactly("value 1");

    CompletableFuture<Void> write = server.repo.set(Path.parse("a"), LeafNode.of(2));
    log.awaitExactly("value 1", "value 2"); // before any reply
    JsonNode put = server.next("p");
    assertThat(put.path("b").path("d").asInt()).isEqualTo(2);
    server.reply(put, "permission_denied", "\"Permission denied\"");
    log.awaitExactly("value 1", "value 2", "value 1");
    assertThat(write).failsWithin(Duration.ofSeconds(5)).withThrowableOfType(ExecutionException.class)
        .havingCause().isInstanceOf(PermissionDeniedException.class);
  }

  @Test
  void acknowledgedWriteWithEchoRaisesNoExtraEvents() {
    server.connect();
    Log log = new Log();
    server.repo.addListener(Path.parse("list"), QuerySpec.DEFAULT, false, log, true, true);
    JsonNode listen = server.next("q");
    server.push("list", "{\"a\":1}", null);
    server.ok(listen);
    log.awaitExactly("added a first", "value {\"a\":1}");
    CompletableFuture<Void> w = server.repo.update(Path.parse("list"), Map.of(Path.parse("b"), LeafNode.of(2),
        Path.parse("a"), Node.empty()));
    log.awaitExactly("added a first", "value {\"a\":1}", "removed a", "added b first", "value {\"b\":2}");
    JsonNode merge = server.next("m");
    assertThat(merge.path("b").path("d").path("b").asInt()).isEqualTo(2);
    assertThat(merge.path("b").path("d").get("a").isNull()).isTrue();
    server.merge("list", "{\"b\":2,\"a\":null}"); // the echo, then the ack
    server.ok(merge);
    done(w);
    assertThat(log.events).hasSize(5);
  }

  @Test
  void limitedQueryFollowsTaggedResultsWithMovesAndWindowChanges() {
    server.connect();
    Log log = new Log();
    QuerySpec top2 = QuerySpec.builder().orderByChild("score").limitToLast(2).build();
    server.repo.addListener(Path.parse("scores"), top2, false, log, true, true);
    JsonNode listen = server.next("q");
    assertThat(listen.path("b").path("q").toString()).isEqualTo("{\"i\":\"score\",\"l\":2,\"vf\":\"r\"}");
    long tag = listen.path("b").path("t").asLong();
    server.push("scores", "{\"b\":{\"score\":20},\"c\":{\"score\":30}}", tag);
    server.ok(listen);
    log.awaitExactly("added b first", "added c after b", "value {\"b\":{\"score\":20},\"c\":{\"score\":30}}");
    log.events.clear();

    // a enters at the top: b leaves the window
    server.push("scores", "{\"c\":{\"score\":30},\"a\":{\"score\":40}}", tag);
    log.awaitExactly("removed b", "added a after c", "value {\"a\":{\"score\":40},\"c\":{\"score\":30}}");
    log.events.clear();

    // c overtakes a within the window: moved + changed, with the new previous key
    server.push("scores", "{\"c\":{\"score\":50},\"a\":{\"score\":40}}", tag);
    log.awaitExactly("moved c after a", "changed c after a", "value {\"a\":{\"score\":40},\"c\":{\"score\":50}}");
    log.events.clear();

    // an untagged push is not for this view
    server.push("scores/zz", "{\"score\":99}", null);
    // a local write to a child is shown at once, ordered by the same code as the server's
    server.repo.set(Path.parse("scores/d"), json("{\"score\":45}"));
    log.awaitExactly("removed a", "added d first", "value {\"c\":{\"score\":50},\"d\":{\"score\":45}}");
  }

  @Test
  void childListenerSeesOfflineWritesBeforeTheDataArrives() {
    server.repo.start(); // never connects
    Log log = new Log();
    server.repo.addListener(Path.parse("q"), QuerySpec.DEFAULT, false, log, true, true);
    server.repo.set(Path.parse("q/x"), LeafNode.of(1));
    server.repo.set(Path.parse("q/y"), LeafNode.of(2));
    log.awaitExactly("added x first", "added y after x"); // no value: the location is not known completely
    server.repo.set(Path.parse("q"), json("{\"z\":3}"));
    log.awaitExactly("added x first", "added y after x", "removed x", "removed y", "added z first", "value {\"z\":3}");
  }

  @Test
  void transactionSendsTheHashOfItsInputAndRetriesOnFreshData() {
    server.connect();
    CompletableFuture<Repo.TransactionOutcome> tx = server.repo.transaction(Path.parse("n"), current ->
        LeafNode.of(current.isEmpty() ? 1 : ((Double) ((LeafNode) current).value()) + 1));
    JsonNode listen = server.next("q");
    server.push("n", "5", null);
    server.ok(listen);
    JsonNode put = server.next("p");
    assertThat(put.path("b").path("h").asText()).isEqualTo(NodeHash.hash(LeafNode.of(5)));
    assertThat(put.path("b").path("d").asInt()).isEqualTo(6);
    server.push("n", "10", null); // another client got there first
    server.reply(put, "datastale", "\"stale\"");
    JsonNode retry = server.next("p");
    assertThat(retry.path("b").path("h").asText()).isEqualTo(NodeHash.hash(LeafNode.of(10)));
    assertThat(retry.path("b").path("d").asInt()).isEqualTo(11);
    server.push("n", "11", null);
    server.ok(retry);
    Repo.TransactionOutcome outcome = done(tx);
    assertThat(outcome.committed()).isTrue();
    assertThat(outcome.value()).isEqualTo(LeafNode.of(11));
    server.next("n"); // the transaction's listen ends
  }

  @Test
  void transactionGivesUpAfter25Attempts() {
    server.connect();
    CompletableFuture<Repo.TransactionOutcome> tx = server.repo.transaction(Path.parse("n"), c -> LeafNode.of(1));
    JsonNode listen = server.next("q");
    server.ok(listen);
    for (int i = 0; i < Repo.MAX_TRANSACTION_ATTEMPTS; i++) {
      server.reply(server.next("p"), "datastale", "\"stale\"");
    }
    assertThat(tx).failsWithin(Duration.ofSeconds(5)).withThrowableOfType(ExecutionException.class)
        .havingCause().isInstanceOf(CanopyException.class)
        .matches(e -> ((CanopyException) e).code() == CanopyException.Code.MAX_RETRIES);
  }

  @Test
  void afterAReconnectListensAndUnacknowledgedWritesAreResentInOrderAndCasWritesFail() throws Exception {
    server.connect();
    Log log = new Log();
    server.repo.addListener(Path.parse("a"), QuerySpec.DEFAULT, false, log, true, false);
    server.ok(server.next("q"));
    CompletableFuture<Void> w1 = server.repo.set(Path.parse("a/1"), LeafNode.of("one"));
    CompletableFuture<Void> w2 = server.repo.set(Path.parse("a/2"), LeafNode.of("two"));
    CompletableFuture<Repo.TransactionOutcome> tx = server.repo.transaction(Path.parse("a"), c -> LeafNode.of("t"));
    JsonNode p1 = server.next("p");
    server.next("p");
    server.next("p"); // the transaction's compare-and-set
    server.ok(p1);
    done(w1);
    server.drop();
    assertThat(tx).failsWithin(Duration.ofSeconds(5)).withThrowableOfType(ExecutionException.class)
        .havingCause().isInstanceOf(DisconnectedException.class);
    CompletableFuture<Void> w3 = server.repo.set(Path.parse("a/3"), LeafNode.of("three")); // offline

    server.awaitOpen(2);
    server.handshake();
    assertThat(server.next("q").path("b").path("p").asText()).isEqualTo("a");
    assertThat(server.next("p").path("b").path("p").asText()).isEqualTo("a/2");
    assertThat(server.next("p").path("b").path("p").asText()).isEqualTo("a/3");
    server.assertNoRequest();
    assertThat(w2).isNotDone();
    assertThat(w3).isNotDone();
  }

  @Test
  void getFallsBackToTheCacheWhenOffline() {
    server.connect();
    Log log = new Log();
    server.repo.addListener(Path.parse("c"), QuerySpec.DEFAULT, false, log, true, false);
    JsonNode listen = server.next("q");
    server.push("c", "{\"x\":{\"y\":1}}", null);
    server.ok(listen);
    log.awaitExactly("value {\"x\":{\"y\":1}}");
    server.drop();
    await().until(() -> !server.repo.isConnected());
    assertThat(done(server.repo.get(Path.parse("c/x"), QuerySpec.DEFAULT, false))).isEqualTo(json("{\"y\":1}"));
    assertThat(server.repo.get(Path.parse("uncached"), QuerySpec.DEFAULT, false))
        .failsWithin(Duration.ofSeconds(5)).withThrowableOfType(ExecutionException.class)
        .havingCause().isInstanceOf(DisconnectedException.class);
  }
}
