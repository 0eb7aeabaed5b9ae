package io.canopy.gateway.ws;

import static org.assertj.core.api.Assertions.assertThat;

import io.canopy.core.path.Path;
import io.canopy.core.rules.Caller;
import io.canopy.gateway.auth.AuthConfig;
import io.canopy.gateway.auth.TokenVerifier;
import io.canopy.gateway.health.GatewayMetrics;
import io.canopy.gateway.rest.CredentialTest;
import io.canopy.gateway.ws.Outbound.Reply;
import io.canopy.presence.ClusterState;
import io.canopy.presence.ConnectionRef;
import io.canopy.presence.OnDisconnectStore;
import io.canopy.presence.OrphanQueue;
import io.canopy.presence.QueuedWrite;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The session's onDisconnect queue kept in the cluster store: what a crash leaves and what a re-auth changes. */
class WsSessionOnDisconnectStoreTest {
  private static final TokenVerifier DEV = new TokenVerifier(AuthConfig.defaults());
  private final FakeBackend backend = new FakeBackend();
  private final ConnectionRef conn = new ConnectionRef("gw-a", "c1");

  private WsSession session(OnDisconnectStore store) {
    return new WsSession("c1", backend, Runnable::run, new GatewayMetrics(), 10_000, DEV, "demo", store, conn, null);
  }

  private static void request(WsSession s, long r, String action, String body) {
    s.handle(MessageParser.parse("{\"t\":\"d\",\"d\":{\"r\":" + r + ",\"a\":\"" + action + "\",\"b\":" + body
        + "}}"));
  }

  private List<Reply> replies() {
    return backend.sent.stream().filter(Reply.class::isInstance).map(Reply.class::cast).toList();
  }

  @Test
  void queuedWritesFollowTheConnectionsLatestCredential() {
    OnDisconnectStore store = ClusterState.inMemory().onDisconnect();
    WsSession s = session(store);
    request(s, 1, "o", "{\"p\":\"/presence/ada\",\"d\":\"offline\"}");
    String ada = CredentialTest.jwt("{\"alg\":\"none\"}", "{\"sub\":\"ada\"}");
    request(s, 2, "auth", "{\"cred\":\"" + ada + "\"}");
    assertThat(replies()).extracting(Reply::status).containsExactly("ok", "ok");

    List<QueuedWrite> queued = store.drain(conn).join();
    assertThat(queued).hasSize(1);
    assertThat(queued.get(0).namespace()).isEqualTo("demo");
    assertThat(queued.get(0).op().path().toString()).isEqualTo("/presence/ada");
    assertThat(queued.get(0).caller().user().uid()).as("judged as the connection's latest credential")
        .isEqualTo("ada");
  }

  @Test
  void aCleanCloseProducesTheQueueOnceAndLeavesNothingToClaim() {
    ClusterState cluster = ClusterState.inMemory();
    WsSession s = session(cluster.onDisconnect());
    request(s, 1, "o", "{\"p\":\"/a\",\"d\":1}");
    request(s, 2, "om", "{\"p\":\"/b\",\"d\":{\"c\":2}}");
    request(s, 3, "oc", "{\"p\":\"/a\"}");
    s.close();
    assertThat(backend.writes).extracting(w -> w.op().path()).containsExactly(Path.parse("/b"));
    List<OrphanQueue> orphans = cluster.onDisconnect().claimOrphans("gw-a", "gw-b").join();
    assertThat(orphans).allSatisfy(q -> assertThat(q.writes()).isEmpty());
  }

  @Test
  void aStoreThatFailsAnswersUnavailableAndTheConnectionGoesOn() {
    OnDisconnectStore failing = new OnDisconnectStore() {
      @Override
      public CompletableFuture<Void> add(ConnectionRef connection, QueuedWrite write) {
        return CompletableFuture.failedFuture(new IllegalStateException("redis down"));
      }

      @Override
      public CompletableFuture<Void> cancel(ConnectionRef connection, Path at) {
        return CompletableFuture.failedFuture(new IllegalStateException("redis down"));
      }

      @Override
      public CompletableFuture<Void> setCaller(ConnectionRef connection, Caller caller) {
        return CompletableFuture.completedFuture(null);
      }

      @Override
      public CompletableFuture<List<QueuedWrite>> drain(ConnectionRef connection) {
        return CompletableFuture.completedFuture(List.of());
      }

      @Override
      public CompletableFuture<List<OrphanQueue>> claimOrphans(String deadGatewayId, String claimant) {
        return CompletableFuture.completedFuture(List.of());
      }
    };
    WsSession s = session(failing);
    request(s, 1, "o", "{\"p\":\"/a\",\"d\":1}");
    request(s, 2, "s", "{}");
    assertThat(replies()).extracting(Reply::r).containsExactly(1L, 2L);
    assertThat(replies().get(0).status()).isEqualTo("unavailable");
    assertThat(replies().get(1).status()).isEqualTo("ok");
  }
}
