package io.canopy.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.firebase.FirebaseApp;
import com.google.firebase.FirebaseOptions;
import com.google.firebase.database.DataSnapshot;
import com.google.firebase.database.DatabaseError;
import com.google.firebase.database.FirebaseDatabase;
import com.google.firebase.database.MutableData;
import com.google.firebase.database.ValueEventListener;
import io.canopy.sdk.testing.EventLog;
import io.canopy.sdk.testing.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The SDK next to the official {@code firebase-admin} 9.11.0 on the same server and data: each sees the other's
 * writes, both converge on the same value, and their transactions on one counter add up exactly.
 */
class FirebaseAdminInteropIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final GoogleCredentials STUB =
      GoogleCredentials.create(new AccessToken("owner", new Date(System.currentTimeMillis() + 86_400_000L)));
  private static TestServer server;
  private FirebaseApp app;
  private CanopyClient client;
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
  void connect(TestInfo info) {
    ns = TestServer.namespace(info.getTestMethod().orElseThrow().getName());
    app = FirebaseApp.initializeApp(FirebaseOptions.builder().setCredentials(STUB)
        .setDatabaseUrl(server.url(ns)).build(), "interop-" + ns);
    client = Canopy.connect(server.url(ns), Credentials.admin());
  }

  @AfterEach
  void close() {
    client.close();
    app.delete();
  }

  private static <T> T done(CompletableFuture<T> f) {
    assertThat(f).succeedsWithin(TIMEOUT);
    return f.join();
  }

  private static void done(com.google.api.core.ApiFuture<?> f) {
    try {
      f.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void bothClientsWriteTheSameDataAndConverge() {
    FirebaseDatabase admin = FirebaseDatabase.getInstance(app);
    AtomicReference<Object> adminSees = new AtomicReference<>();
    admin.getReference("shared").addValueEventListener(new ValueEventListener() {
      @Override
      public void onDataChange(DataSnapshot snapshot) {
        adminSees.set(snapshot.getValue());
      }

      @Override
      public void onCancelled(DatabaseError error) {}
    });
    EventLog canopySees = new EventLog();
    client.ref("shared").addValueListener(canopySees.values());

    done(client.ref("shared").set(Map.of("a", 1, "list", List.of("x", "y"))));
    done(admin.getReference("shared/b").setValueAsync("from admin"));
    Map<String, Object> update = new HashMap<>();
    update.put("a", 2);
    update.put("c/d", true);
    done(client.ref("shared").update(update));
    done(admin.getReference("shared/list/1").setValueAsync("z"));
    DatabaseReference pushed = client.ref("shared/pushed").push();
    done(pushed.set(ServerValue.increment(5)));

    String expected = "{\"a\":2,\"b\":\"from admin\",\"c\":{\"d\":true},\"list\":[\"x\",\"z\"],\"pushed\":{\""
        + pushed.key() + "\":5}}";
    canopySees.awaitLast("value " + expected);
    Map<String, Object> pushedMap = new HashMap<>();
    pushedMap.put(pushed.key(), 5L);
    Map<String, Object> adminExpected = new HashMap<>();
    adminExpected.put("a", 2L);
    adminExpected.put("b", "from admin");
    adminExpected.put("c", Map.of("d", true));
    adminExpected.put("list", List.of("x", "z"));
    adminExpected.put("pushed", pushedMap);
    Awaitility.await().atMost(TIMEOUT).untilAsserted(() -> assertThat(adminSees.get()).isEqualTo(adminExpected));
    assertThat(done(client.ref("shared").get()).getValue()).isEqualTo(adminExpected);
  }

  @Test
  void transactionsFromBothClientsOnOneCounterAddUp() throws Exception {
    FirebaseDatabase admin = FirebaseDatabase.getInstance(app);
    int each = 10;
    List<CompletableFuture<?>> all = new ArrayList<>();
    for (int i = 0; i < each; i++) {
      all.add(client.ref("counter").runTransaction(cur -> {
        Long n = cur.getValue(Long.class);
        return n == null ? 1 : n + 1;
      }));
      CompletableFuture<Boolean> adminDone = new CompletableFuture<>();
      admin.getReference("counter").runTransaction(new com.google.firebase.database.Transaction.Handler() {
        @Override
        public com.google.firebase.database.Transaction.Result doTransaction(MutableData data) {
          Long n = data.getValue(Long.class);
          data.setValue(n == null ? 1 : n + 1);
          return com.google.firebase.database.Transaction.success(data);
        }

        @Override
        public void onComplete(DatabaseError error, boolean committed, DataSnapshot snapshot) {
          if (error != null) {
            adminDone.completeExceptionally(error.toException());
          } else {
            adminDone.complete(committed);
          }
        }
      });
      all.add(adminDone);
    }
    for (CompletableFuture<?> f : all) {
      done(f);
    }
    Awaitility.await().atMost(TIMEOUT).untilAsserted(() ->
        assertThat(done(client.ref("counter").get()).getValue()).isEqualTo((long) 2 * each));
  }
}
