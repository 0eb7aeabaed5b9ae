package io.canopy.gateway.ws;

import static org.assertj.core.api.Assertions.assertThat;

import io.canopy.core.error.CanopyException;
import io.canopy.core.error.ErrorCode;
import io.canopy.core.json.TreeJson;
import io.canopy.core.ops.WriteOp;
import io.canopy.core.path.Path;
import io.canopy.core.query.QuerySpec;
import io.canopy.core.tree.LeafNode;
import io.canopy.gateway.auth.AuthConfig;
import io.canopy.gateway.auth.AuthContext;
import io.canopy.gateway.auth.TokenVerifier;
import io.canopy.gateway.health.GatewayMetrics;
import io.canopy.gateway.rest.CredentialTest;
import io.canopy.gateway.ws.Outbound.Reply;
import io.canopy.pusher.DataPush;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class WsSessionTest {
  private final FakeBackend backend = new FakeBackend();
  private final GatewayMetrics metrics = new GatewayMetrics();
  private static final String SECRET = "ws-session-test-secret";
  private static final TokenVerifier DEV = new TokenVerifier(AuthConfig.defaults());
  private WsSession session = new WsSession("test", backend, Runnable::run, metrics, 10_000, DEV);

  private void send(String json) {
    session.handle(MessageParser.parse(json));
  }

  private void request(long r, String action, String body) {
    send("{\"t\":\"d\",\"d\":{\"r\":" + r + ",\"a\":\"" + action + "\",\"b\":" + body + "}}");
  }

  private List<Reply> replies() {
    return backend.sent.stream().filter(Reply.class::isInstance).map(Reply.class::cast).toList();
  }

  private Reply lastReply() {
    List<Reply> all = replies();
    return all.get(all.size() - 1);
  }

  @Test
  void statsAuthAndAppCheckAreAcknowledged() {
    String mock = CredentialTest.jwt("{\"alg\":\"none\"}", "{\"sub\":\"ada\",\"iat\":0}");
    request(0, "s", "{\"c\":{\"sdk.admin_java.9-11-0\":1}}");
    request(1, "gauth", "{\"cred\":\"owner\"}");
    assertThat(session.auth()).isEqualTo(AuthContext.ADMIN);
    request(2, "auth", "{\"cred\":\"" + mock + "\"}");
    assertThat(session.auth().uid()).isEqualTo("ada");
    request(3, "unauth", "{}");
    assertThat(session.auth()).isNull();
    request(4, "appcheck", "{\"token\":\"t\"}");
    request(5, "unappeck", "{}");
    Map<String, Object> claims = Map.of("sub", "ada", "iat", 0);
    assertThat(replies()).containsExactly(Reply.ok(0, ""), Reply.ok(1, WsSession.AUTH_OK),
        Reply.ok(2, Map.of("auth", claims, "expires", WsSession.AUTH_EXPIRES_SECONDS)), Reply.ok(3, ""),
        Reply.ok(4, ""), Reply.ok(5, ""));
    assertThat(WsSession.AUTH_OK).containsEntry("auth", null);
  }

  @Test
  void anInvalidTokenIsRefusedAndTheSessionGoesOn() {
    request(1, "gauth", "{\"cred\":\"owner\"}");
    request(2, "auth", "{\"cred\":\"a.b.c\"}");
    request(3, "auth", "{}");
    request(4, "g", "{\"p\":\"/a\",\"q\":{}}");
    assertThat(replies()).startsWith(Reply.ok(1, WsSession.AUTH_OK),
        Reply.error(2, "invalid_token", "Could not parse auth token."),
        Reply.error(3, "invalid_token", "Could not parse auth token."));
    assertThat(session.auth()).isNull();
    assertThat(backend.gets).hasSize(1);
  }

  @Test
  void signedTokensAreVerifiedOnceAKeyIsConfigured() {
    session = new WsSession("keys", backend, Runnable::run, metrics, 10_000,
        new TokenVerifier(AuthConfig.defaults().withHs256Secrets(List.of(SECRET))));
    long now = System.currentTimeMillis() / 1000;
    String valid = CredentialTest.hs256(SECRET, "{\"sub\":\"ada\",\"exp\":" + (now + 3600) + "}");
    String expired = CredentialTest.hs256(SECRET, "{\"sub\":\"ada\",\"exp\":" + (now - 3600) + "}");
    String forged = CredentialTest.hs256("another-secret", "{\"sub\":\"ada\",\"exp\":" + (now + 3600) + "}");
    request(1, "auth", "{\"cred\":\"" + valid + "\"}");
    assertThat(session.auth().expiresAt().getEpochSecond()).isEqualTo(now + 3600);
    request(2, "auth", "{\"cred\":\"" + expired + "\"}");
    request(3, "auth", "{\"cred\":\"" + forged + "\"}");
    assertThat(replies()).containsExactly(
        Reply.ok(1, Map.of("auth", Map.of("sub", "ada", "exp", (int) (now + 3600)), "expires", now + 3600)),
        Reply.error(2, "expired_token", "Auth token is expired."),
        Reply.error(3, "invalid_token", "Could not parse auth token."));
    assertThat(session.auth()).isNull();
  }

  @Test
  void withoutDevModeOwnerAndUnsignedTokensAreRefused() {
    session = new WsSession("prod", backend, Runnable::run, metrics, 10_000,
        new TokenVerifier(AuthConfig.defaults().withDevMode(false)));
    request(1, "gauth", "{\"cred\":\"owner\"}");
    request(2, "auth", "{\"cred\":\"" + CredentialTest.jwt("{\"alg\":\"none\"}", "{\"sub\":\"u\"}") + "\"}");
    assertThat(replies()).containsExactly(Reply.error(1, "invalid_token", "Could not parse auth token."),
        Reply.error(2, "invalid_token", "Could not parse auth token."));
    assertThat(session.auth()).isNull();
  }

  @Test
  void listenIsAnsweredWithAnObjectOnceItsDataIsQueued() {
    request(2, "q", "{\"p\":\"/a\",\"h\":\"\"}");
    assertThat(backend.listens).hasSize(1);
    FakeBackend.Listen listen = backend.listens.get(0);
    assertThat((Object) listen.path()).isEqualTo(Path.parse("a"));
    assertThat(listen.query()).isEqualTo(QuerySpec.DEFAULT);
    assertThat(listen.tag()).isNull();
    assertThat(backend.sent).isEmpty();

    DataPush data = DataPush.overwrite("ns", Path.parse("a"), LeafNode.of(1), null);
    backend.send(data); // what the pusher queues before completing
    listen.done().complete(null);
    assertThat(backend.sent).containsExactly(data, Reply.ok(2, Map.of()));
    assertThat(((Reply) backend.sent.get(1)).data()).isInstanceOf(Map.class);
  }

  @Test
  void taggedListenPassesItsQueryAndTag() {
    request(3, "q", "{\"p\":\"/list\",\"q\":{\"l\":2,\"vf\":\"r\",\"i\":\".key\"},\"t\":1,\"h\":\"\"}");
    FakeBackend.Listen listen = backend.listens.get(0);
    assertThat(listen.tag()).isEqualTo(1L);
    assertThat(listen.query()).isEqualTo(QuerySpec.builder().orderByKey().limitToLast(2).build());
    request(4, "l", "{\"p\":\"/legacy\"}");
    assertThat(backend.listens).hasSize(2);
  }

  @Test
  void repliesKeepRequestOrderWhateverOrderTheyComplete() {
    request(1, "q", "{\"p\":\"/slow\"}");
    request(2, "p", "{\"p\":\"/x\",\"d\":1}");
    request(3, "s", "{}");
    request(4, "g", "{\"p\":\"/y\",\"q\":{}}");
    assertThat(backend.sent).isEmpty();

    backend.writes.get(0).accept();
    assertThat(backend.sent).as("the write's ack waits for the listen's").isEmpty();
    backend.listens.get(0).done().complete(null);
    assertThat(replies()).containsExactly(Reply.ok(1, Map.of()), Reply.ok(2, ""), Reply.ok(3, ""));

    backend.gets.get(0).result().complete(LeafNode.of("y"));
    assertThat(lastReply()).isEqualTo(Reply.ok(4, LeafNode.of("y")));
    assertThat(session.pendingReplies()).isZero();
  }

  @Test
  void aGetWaitsForTheVerdictsOfEarlierWrites() {
    request(1, "p", "{\"p\":\"/a\",\"d\":1}");
    request(2, "m", "{\"p\":\"/\",\"d\":{\"b/c\":2}}");
    request(3, "g", "{\"p\":\"/a\",\"q\":{}}");
    assertThat(backend.gets).isEmpty();
    backend.writes.get(1).accept();
    assertThat(backend.gets).isEmpty();
    backend.writes.get(0).verdict().completeExceptionally(new CanopyException(ErrorCode.UNAVAILABLE, "down"));
    assertThat(backend.gets).hasSize(1);
    backend.gets.get(0).result().complete(LeafNode.of(1));
    assertThat(replies()).containsExactly(Reply.error(1, "unavailable", "down"), Reply.ok(2, ""),
        Reply.ok(3, LeafNode.of(1)));
  }

  @Test
  void getPassesItsQuery() {
    request(5, "g", "{\"p\":\"/scores\",\"q\":{\"i\":\".value\",\"sp\":10,\"l\":3,\"vf\":\"l\"}}");
    FakeBackend.Get get = backend.gets.get(0);
    assertThat((Object) get.path()).isEqualTo(Path.parse("scores"));
    assertThat(get.query()).isEqualTo(QuerySpec.builder().orderByValue().startAt(10).limitToFirst(3).build());
    get.result().completeExceptionally(new RuntimeException("boom"));
    assertThat(lastReply()).isEqualTo(Reply.error(5, "failure", "Internal server error"));
  }

  @Test
  void putsAndCompareAndSet() {
    request(6, "p", "{\"p\":\"/counter\",\"d\":{\"count\":1},\"h\":\"cl67ch5UmlAYLMHpo01qE7xefBY=\"}");
    request(7, "p", "{\"p\":\"/counter/.priority\",\"d\":3}");
    FakeBackend.Write cas = backend.writes.get(0);
    assertThat(cas.op()).isEqualTo(new WriteOp.Set(Path.parse("counter"), TreeJson.parse("{\"count\":1}")));
    assertThat(cas.hash()).isEqualTo("cl67ch5UmlAYLMHpo01qE7xefBY=");
    assertThat((Object) backend.writes.get(1).op().path()).isEqualTo(Path.parseWrite("counter/.priority"));
    assertThat(backend.writes.get(1).hash()).isNull();

    cas.reject(ErrorCode.DATASTALE, null);
    backend.writes.get(1).accept();
    assertThat(replies()).containsExactly(
        Reply.error(6, "datastale", WsSession.message(ErrorCode.DATASTALE, null)), Reply.ok(7, ""));
    assertThat(replies().get(0).data()).isInstanceOf(String.class);
  }

  @Test
  void mergeBecomesOneMultiPathWrite() {
    request(8, "m", "{\"p\":\"/users\",\"d\":{\"alan/nick\":\"Al\",\"grace\":null}}");
    WriteOp.Merge merge = (WriteOp.Merge) backend.writes.get(0).op();
    assertThat((Object) merge.path()).isEqualTo(Path.parse("users"));
    assertThat(merge.children()).containsOnlyKeys(Path.parse("alan/nick"), Path.parse("grace"));
  }

  @Test
  void badInputIsAnsweredOnItsRequestAndTheSessionGoesOn() {
    request(1, "p", "{\"p\":\"/a/b[c]\",\"d\":1}");
    request(2, "q", "{\"p\":\"/ok\"}");
    request(3, "q", "{\"p\":\"/x\",\"q\":{\"l\":-1}}");
    request(4, "frobnicate", "{}");
    send("{\"t\":\"d\",\"d\":{\"r\":5,\"a\":\"p\",\"b\":{\"p\":\"/x\",\"d\":{\"bad.key\":1}}}}");
    send("garbage without a request number");
    request(6, "n", "{}");
    request(7, "p", "{\"p\":\"/deep" + "/k".repeat(40) + "\",\"d\":1}");
    backend.listens.get(0).done().complete(null);

    List<Reply> replies = replies();
    assertThat(replies).extracting(Reply::r).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
    assertThat(replies).extracting(Reply::status).containsExactly("invalid_path", "ok", "invalid_query",
        "invalid_data", "invalid_data", "invalid_path", "invalid_path");
    for (Reply r : replies) {
      if (!r.status().equals("ok")) {
        assertThat(r.data()).isInstanceOf(String.class);
        assertThat((String) r.data()).isNotBlank();
      }
    }
    assertThat((String) replies.get(3).data()).contains("frobnicate");
    assertThat(backend.writes).isEmpty();
  }

  @Test
  void unlistenIsPassedOnAndAcknowledged() {
    request(1, "n", "{\"p\":\"/a\",\"q\":{\"l\":1,\"vf\":\"l\"},\"t\":4}");
    assertThat(backend.unlistens).containsExactly("/a " + QuerySpec.builder().limitToFirst(1).build());
    assertThat(replies()).containsExactly(Reply.ok(1, ""));
  }

  @Test
  void pingIsAnsweredWithAPongAndOtherControlMessagesAreIgnored() {
    send("{\"t\":\"c\",\"d\":{\"t\":\"p\",\"d\":{}}}");
    send("{\"t\":\"c\",\"d\":{\"t\":\"n\",\"d\":{}}}");
    assertThat(backend.sent).containsExactly(new Outbound.Pong());
  }

  @Test
  void onDisconnectWritesRunOnCloseInOrderAfterTheSessionCloses() {
    request(1, "o", "{\"p\":\"/presence/me\",\"d\":false}");
    request(2, "om", "{\"p\":\"/rooms/r1\",\"d\":{\"members/me\":null,\"count\":{\".sv\":{\"increment\":-1}}}}");
    request(3, "o", "{\"p\":\"/typing/me\",\"d\":true}");
    request(4, "oc", "{\"p\":\"/typing\",\"d\":null}");
    request(5, "o", "{\"p\":\"/last/me\",\"d\":{\".sv\":\"timestamp\"}}");
    assertThat(replies()).extracting(Reply::status).containsOnly("ok");
    assertThat(backend.writes).as("nothing is written before the connection ends").isEmpty();

    session.close();
    assertThat(backend.events).containsExactly("close", "write /presence/me", "write /rooms/r1", "write /last/me");
    assertThat(backend.writes.get(0).op()).isEqualTo(new WriteOp.Set(Path.parse("presence/me"), LeafNode.of(false)));
    assertThat(backend.writes).extracting(FakeBackend.Write::hash).containsOnlyNulls();
    backend.writes.forEach(FakeBackend.Write::accept);

    session.close();
    request(6, "s", "{}");
    assertThat(backend.writes).hasSize(3);
    assertThat(replies()).hasSize(5);
  }

  @Test
  void repliesAfterCloseGoNowhere() {
    request(1, "p", "{\"p\":\"/a\",\"d\":1}");
    session.close();
    int sent = backend.sent.size();
    backend.writes.get(0).accept();
    assertThat(backend.sent).hasSize(sent);
  }

  @Test
  void aListenThatFailsIsAnsweredWithItsError() {
    request(1, "q", "{\"p\":\"/a\"}");
    backend.listens.get(0).done().completeExceptionally(new CanopyException(ErrorCode.PERMISSION_DENIED, null));
    assertThat(replies()).containsExactly(Reply.error(1, "permission_denied", "Permission denied"));
  }

  @Test
  void aListenThatNeverDeliversTimesOut() {
    ExecutorService loop = Executors.newSingleThreadExecutor();
    try {
      WsSession timed = new WsSession("t", backend, loop, metrics, 50, DEV);
      CompletableFuture.runAsync(() -> timed.handle(MessageParser.parse(
          "{\"t\":\"d\",\"d\":{\"r\":1,\"a\":\"q\",\"b\":{\"p\":\"/a\"}}}")), loop).join();
      org.awaitility.Awaitility.await().atMost(5, TimeUnit.SECONDS).until(() -> !replies().isEmpty());
      assertThat(lastReply().status()).isEqualTo("unavailable");
      assertThat(backend.unlistens).hasSize(1);
    } finally {
      loop.shutdownNow();
    }
  }

  @Test
  void requestsAreCounted() {
    request(1, "p", "{\"p\":\"/a\",\"d\":1}");
    request(2, "zzz", "{}");
    backend.writes.get(0).accept();
    @SuppressWarnings("unchecked")
    Map<String, Object> ws = (Map<String, Object>) metrics.snapshot().get("webSocket");
    assertThat(ws.get("requests")).isEqualTo(Map.of("p", 1L, "other", 1L));
    @SuppressWarnings("unchecked")
    Map<String, Object> writes = (Map<String, Object>) metrics.snapshot().get("writes");
    assertThat(writes).containsEntry("accepted", 1L);
  }
}
