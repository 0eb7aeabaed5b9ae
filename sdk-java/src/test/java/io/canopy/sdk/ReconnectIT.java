package io.canopy.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import org.awaitility.Awaitility;

import io.canopy.sdk.testing.EventLog;
import io.canopy.sdk.testing.FaultyProxy;
import io.canopy.sdk.testing.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * Connection loss under a real client: a {@link FaultyProxy} between the client and a real server cuts TCP
 * connections, refuses reconnects and holds replies. Checks re-sending of unacknowledged writes (no duplicates, in
 * order), the offline queue, re-listening, {@code .info/connected}, transactions in flight and onDisconnect.
 */
class ReconnectIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static TestServer server;
  private FaultyProxy proxy;
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
  void setUp(TestInfo info) {
    ns = TestServer.namespace(info.getTestMethod().orElseThrow().getName());
    proxy = new FaultyProxy(server.port());
  }

  @AfterEach
  void tearDown() {
    clients.forEach(CanopyClient::close);
    clients.clear();
    proxy.close();
  }

  /** A client behind the proxy, reconnecting quickly. */
  private CanopyClient proxied() {
    CanopyClient c = Canopy.connect(ClientOptions.builder(proxy.url(ns)).credentials(Credentials.admin())
        .reconnectDelay(Duration.ofMillis(20), Duration.ofMillis(200)).build());
    clients.add(c);
    return c;
  }

  /** A client connected straight to the server. */
  private CanopyClient direct() {
    CanopyClient c = Canopy.connect(server.url(ns), Credentials.admin());
    clients.add(c);
    return c;
  }

  private static <T> T done(CompletableFuture<T> f) {
    assertThat(f).succeedsWithin(TIMEOUT);
    return f.join();
  }

  private static void awaitConnected(CanopyClient c, boolean connected) {
    Awaitility.await().atMost(TIMEOUT).until(() -> c.isConnected() == connected);
  }

  /** Child keys in the order an observer saw them added, and their seq values. */
  private static List<Long> seqsAdded(List<DataSnapshot> added) {
    List<Long> seqs = new ArrayList<>();
    for (DataSnapshot s : added) {
      seqs.add(s.child("seq").getValue(Long.class));
    }
    return seqs;
  }

  @Test
  void writesInFlightWhenTheConnectionDropsAreDeliveredOnceAndInOrder() {
    CanopyClient writer = proxied();
    CanopyClient observer = direct();
    List<DataSnapshot> added = new CopyOnWriteArrayList<>();
    observer.ref("log").addChildListener(new ChildListener() {
      @Override
      public void onChildAdded(DataSnapshot snapshot, String previousChildKey) {
        added.add(snapshot);
      }
    });
    done(observer.ref("log").get());
    awaitConnected(writer, true);

    int n = 300;
    List<CompletableFuture<Void>> writes = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      writes.add(writer.ref("log").push().set(Map.of("seq", i)));
      writes.add(writer.ref("last").set(i));
      if (i == 99 || i == 199) {
        // cut the connection while this batch is only partly acknowledged: the rest is in flight
        int batchEnd = i;
        Awaitility.await().atMost(TIMEOUT).until(() -> added.size() >= batchEnd - 80);
        proxy.dropAll();
      }
    }
    writes.forEach(ReconnectIT::done);
    assertThat(proxy.acceptedConnections()).isGreaterThanOrEqualTo(3);

    Awaitility.await().atMost(TIMEOUT).until(() -> added.size() >= n);
    List<Long> expected = new ArrayList<>();
    for (long i = 0; i < n; i++) {
      expected.add(i);
    }
    assertThat(seqsAdded(added)).containsExactlyElementsOf(expected); // each once, in write order
    DataSnapshot log = done(direct().ref("log").get());
    assertThat(log.getChildrenCount()).isEqualTo(n); // no duplicated pushes
    assertThat(done(observer.ref("last").get()).getValue()).isEqualTo((long) n - 1);
  }

  @Test
  void aThousandOfflineWritesAreDeliveredInOrderAfterReconnecting() {
    CanopyClient writer = proxied();
    CanopyClient observer = direct();
    EventLog connected = new EventLog();
    writer.ref(".info/connected").addValueListener(connected.values());
    connected.awaitLast("value true");
    List<DataSnapshot> seen = new CopyOnWriteArrayList<>();
    observer.ref("queue").orderByChild("seq").addChildListener(new ChildListener() {
      @Override
      public void onChildAdded(DataSnapshot snapshot, String previousChildKey) {
        seen.add(snapshot);
      }
    });
    done(observer.ref("queue").get());

    proxy.refuse(true);
    proxy.dropAll();
    connected.awaitLast("value false");
    List<DataSnapshot> local = new CopyOnWriteArrayList<>();
    writer.ref("queue").addChildListener(new ChildListener() {
      @Override
      public void onChildAdded(DataSnapshot snapshot, String previousChildKey) {
        local.add(snapshot);
      }
    });
    int n = 1000;
    List<CompletableFuture<Void>> writes = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      writes.add(writer.ref("queue").push().set(Map.of("seq", i)));
    }
    // offline, the writer's own listener sees every write at once
    Awaitility.await().atMost(TIMEOUT).until(() -> local.size() == n);
    assertThat(writes).noneMatch(CompletableFuture::isDone);
    assertThat(seen).isEmpty();

    proxy.refuse(false);
    connected.awaitLast("value true");
    writes.forEach(ReconnectIT::done);
    Awaitility.await().atMost(TIMEOUT).until(() -> seen.size() >= n);
    List<Long> expected = new ArrayList<>();
    for (long i = 0; i < n; i++) {
      expected.add(i);
    }
    assertThat(seqsAdded(seen)).containsExactlyElementsOf(expected);
    Set<String> keys = new HashSet<>();
    seen.forEach(s -> keys.add(s.key()));
    assertThat(keys).hasSize(n);
  }

  @Test
  void listenersResumeAfterReconnectWithTheChangesMadeMeanwhile() {
    CanopyClient reader = proxied();
    CanopyClient writer = direct();
    done(writer.ref("doc").set(1));
    EventLog values = new EventLog();
    reader.ref("doc").addValueListener(values.values());
    EventLog limited = new EventLog();
    reader.ref("items").orderByKey().limitToLast(1).addValueListener(limited.values());
    EventLog connected = new EventLog();
    reader.ref(".info/connected").addValueListener(connected.values());
    values.awaitExactly("value 1");
    limited.awaitExactly("value null");
    connected.awaitLast("value true");

    proxy.refuse(true);
    proxy.dropAll();
    connected.awaitLast("value false");
    done(writer.ref("doc").set(2));
    done(writer.ref("items").set(Map.of("a", 1, "b", 2)));
    proxy.refuse(false);

    values.awaitExactly("value 1", "value 2");
    limited.awaitExactly("value null", "value {\"b\":2}");
    connected.awaitLast("value true");
    assertThat(connected.events()).containsExactly("value true", "value false", "value true");
  }

  @Test
  void aTransactionInFlightWhenTheConnectionDropsFailsWithDisconnected() {
    CanopyClient c = proxied();
    done(c.ref("counter").set(1));
    EventLog values = new EventLog();
    c.ref("counter").addValueListener(values.values());
    values.awaitExactly("value 1");

    proxy.holdReplies(true);
    CompletableFuture<TransactionResult> tx = c.ref("counter").runTransaction(cur -> cur.getValue(Long.class) + 1);
    values.awaitLast("value 2"); // applied locally: the put is on its way
    proxy.dropAll();
    proxy.holdReplies(false);

    assertThat(tx).failsWithin(TIMEOUT).withThrowableOfType(ExecutionException.class)
        .havingCause().isInstanceOf(DisconnectedException.class);
    awaitConnected(c, true);
    // the outcome was unknown; the listener settles on the server's value either way
    DataSnapshot after = done(direct().ref("counter").get());
    values.awaitLast("value " + after.getValue());
  }

  @Test
  void onDisconnectWritesRunWhenTheNetworkDies() {
    CanopyClient user = proxied();
    CanopyClient watcher = direct();
    awaitConnected(user, true);
    done(user.ref("presence/ada").onDisconnect().remove());
    done(user.ref("presence/ada").set(true));
    EventLog seen = new EventLog();
    watcher.ref("presence").addValueListener(seen.values());
    seen.awaitLast("value {\"ada\":true}");

    proxy.refuse(true);
    proxy.dropAll(); // no close frame: the server notices the dead TCP connection
    seen.awaitLast("value null");
  }
}
