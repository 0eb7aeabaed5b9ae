package io.canopy.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import io.canopy.sdk.testing.EventLog;
import io.canopy.sdk.testing.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The SDK under security rules enforced by a real server: typed denials, reverted optimistic writes, cancels. */
class SecurityRulesIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(20);
  private static final String RULES = """
      {"rules": {
        "public": {".read": true, ".write": "auth != null"},
        "users": {"$uid": {".read": "auth.uid == $uid", ".write": "auth.uid == $uid",
                           "age": {".validate": "newData.isNumber() && newData.val() >= 0"}}}
      }}""";
  private static TestServer server;
  private final List<CanopyClient> clients = new ArrayList<>();

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

  @AfterEach
  void closeClients() {
    clients.forEach(CanopyClient::close);
    clients.clear();
  }

  private static void putRules(String ns) throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create(server.baseUrl() + "/.settings/rules.json?ns=" + ns + "&auth=owner"))
        .PUT(HttpRequest.BodyPublishers.ofString(RULES)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
  }

  /** An unsigned token, as the server accepts in dev mode (the Firebase emulator's mock tokens). */
  private static String token(String uid) {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    return b64.encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8)) + "."
        + b64.encodeToString(("{\"sub\":\"" + uid + "\"}").getBytes(StandardCharsets.UTF_8)) + ".";
  }

  private CanopyClient client(String ns, Credentials credentials) {
    CanopyClient c = Canopy.connect(server.url(ns), credentials);
    clients.add(c);
    return c;
  }

  private static void denied(CompletableFuture<?> f) {
    assertThat(f).failsWithin(TIMEOUT).withThrowableThat().havingRootCause()
        .isInstanceOf(PermissionDeniedException.class);
  }

  @Test
  void refusedWritesFailTypedAndTheirOptimisticValueIsReverted() throws Exception {
    String ns = TestServer.namespace("sdk-rules");
    putRules(ns);
    CanopyClient alice = client(ns, Credentials.idToken(token("alice")));
    assertThat(alice.ref("users/alice").set(Map.of("name", "Alice", "age", 30))).succeedsWithin(TIMEOUT);
    denied(alice.ref("users/bob/name").set("Eve"));
    denied(alice.ref("users").update(Map.of("alice/age", 31, "bob/age", 1)));

    EventLog seen = new EventLog();
    alice.ref("users/alice/age").addValueListener(seen.values());
    seen.awaitExactly("value 30");
    denied(alice.ref("users/alice/age").set(-1));
    seen.awaitExactly("value 30", "value -1", "value 30");
  }

  @Test
  void aListenTheRulesRefuseIsCancelledWithPermissionDenied() throws Exception {
    String ns = TestServer.namespace("sdk-rules-listen");
    putRules(ns);
    CanopyClient anonymous = client(ns, Credentials.none());
    EventLog seen = new EventLog();
    anonymous.ref("users/alice").addValueListener(seen.values());
    seen.awaitExactly("cancelled PERMISSION_DENIED");
    assertThat(anonymous.ref("public/msg").get()).succeedsWithin(TIMEOUT);
  }
}
