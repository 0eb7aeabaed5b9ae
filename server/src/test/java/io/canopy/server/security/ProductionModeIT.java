package io.canopy.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.canopy.server.CanopyServer;
import io.canopy.server.ServerConfig;
import io.canopy.server.testing.RestClient;
import io.canopy.server.testing.WsClient;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --prod}: dev credentials are refused, the {@code --rules} file governs every namespace without rules of
 * its own, signed tokens are verified, and REST queries need {@code .indexOn}.
 */
class ProductionModeIT {
  private static final String SECRET = "prod-mode-secret-0123456789";
  private static final String RULES = """
      {"rules": {
        "posts": {".read": true, ".indexOn": ["author"], "$p": {".write": "auth != null"}},
        "users": {"$uid": {".read": "auth.uid == $uid", ".write": "auth.uid == $uid"}}
      }}""";

  @TempDir
  static Path dataDir;
  private static CanopyServer server;
  private static RestClient rest;

  @BeforeAll
  static void start() throws Exception {
    Path rules = dataDir.resolve("rules.json");
    Files.writeString(rules, RULES);
    server = CanopyServer.start(ServerConfig.parse(List.of("--prod", "--rules", rules.toString(), "--jwt-secret",
        SECRET, "--data-dir", dataDir.resolve("data").toString(), "--host", "127.0.0.1", "--port", "0"), Map.of()));
    rest = new RestClient(server.url());
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  private static String hs256(String payload) {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String input = b64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8))
        + "." + b64.encodeToString(payload.getBytes(StandardCharsets.UTF_8));
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return input + "." + b64.encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
    } catch (GeneralSecurityException e) {
      throw new AssertionError(e);
    }
  }

  private static String rawToken(String uid) {
    long now = System.currentTimeMillis() / 1000;
    return hs256("{\"sub\":\"" + uid + "\",\"iat\":" + now + ",\"exp\":" + (now + 3600) + "}");
  }

  private static String token(String uid) {
    return URLEncoder.encode(rawToken(uid), StandardCharsets.UTF_8);
  }

  private static String unsigned(String claims) {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    return b64.encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8)) + "."
        + b64.encodeToString(claims.getBytes(StandardCharsets.UTF_8)) + ".";
  }

  @Test
  void devCredentialsAreRefusedAndSignedTokensFollowTheRulesFile() throws Exception {
    assertThat(rest.put("/users/alice.json?ns=prod-a&auth=owner", "1").status()).isEqualTo(401);
    assertThat(rest.put("/users/alice.json?ns=prod-a&auth=" + unsigned("{\"sub\":\"alice\"}"), "1").status())
        .isEqualTo(401);
    assertThat(rest.put("/users/alice.json?ns=prod-a&auth=" + token("alice"), "1").status()).isEqualTo(200);
    assertThat(rest.put("/users/bob.json?ns=prod-a&auth=" + token("alice"), "1").status()).isEqualTo(401);
    assertThat(rest.get("/users/alice.json?ns=prod-b&auth=" + token("alice")).status()).isEqualTo(200);
    assertThat(rest.get("/users/alice.json?ns=prod-b").status()).isEqualTo(401);
    // The raw secret is the admin credential in production.
    assertThat(rest.get("/.settings/rules.json?ns=prod-a&auth=" + SECRET).body()).isEqualTo(RULES);
    assertThat(rest.get("/.settings/rules.json?ns=prod-a&auth=owner").status()).isEqualTo(401);

    try (WsClient ws = WsClient.connect(server.port(), "prod-a")) {
      assertThat(ws.call("auth", "{\"cred\":\"owner\"}").path("s").asText()).isEqualTo("invalid_token");
      assertThat(ws.call("p", "{\"p\":\"/users/alice\",\"d\":2}").path("s").asText())
          .isEqualTo("permission_denied");
      assertThat(ws.call("auth", "{\"cred\":\"" + rawToken("alice") + "\"}").path("s").asText()).isEqualTo("ok");
      assertThat(ws.call("p", "{\"p\":\"/users/alice\",\"d\":2}").path("s").asText()).isEqualTo("ok");
      assertThat(ws.call("q", "{\"p\":\"/users/bob\",\"h\":\"\"}").path("s").asText())
          .isEqualTo("permission_denied");
    }
  }

  @Test
  void restQueriesNeedAnIndex() {
    String ns = "prod-index";
    assertThat(rest.put("/posts/p1.json?ns=" + ns + "&auth=" + token("alice"), "{\"author\":\"alice\",\"n\":1}")
        .status()).isEqualTo(200);
    RestClient.Response indexed = rest.get("/posts.json?ns=" + ns + "&orderBy=%22author%22&equalTo=%22alice%22");
    assertThat(indexed.status()).isEqualTo(200);
    assertThat(indexed.body()).contains("p1");
    RestClient.Response unindexed = rest.get("/posts.json?ns=" + ns + "&orderBy=%22n%22&limitToFirst=1");
    assertThat(unindexed.status()).isEqualTo(400);
    assertThat(unindexed.json().path("error").asText())
        .isEqualTo("Index not defined, add \".indexOn\": \"n\", for path \"/posts\", to the rules");
    assertThat(rest.get("/posts.json?ns=" + ns + "&orderBy=%22$key%22&limitToFirst=1").status()).isEqualTo(200);
  }

  @Test
  void anExpiredCredentialIsRevokedAndItsListensCheckedAgain() throws Exception {
    long now = System.currentTimeMillis() / 1000;
    String shortLived = hs256("{\"sub\":\"alice\",\"iat\":" + now + ",\"exp\":" + (now + 2) + "}");
    try (WsClient ws = WsClient.connect(server.port(), "prod-expiry")) {
      assertThat(ws.call("auth", "{\"cred\":\"" + shortLived + "\"}").path("s").asText()).isEqualTo("ok");
      assertThat(ws.call("q", "{\"p\":\"/users/alice\",\"h\":\"\"}").path("s").asText()).isEqualTo("ok");
      assertThat(ws.call("q", "{\"p\":\"/posts\",\"h\":\"\"}").path("s").asText()).isEqualTo("ok");
      JsonNode ac = ws.awaitMessage(m -> m.path("d").path("a").asText().equals("ac"));
      assertThat(ac.path("d").path("b").path("s").asText()).isEqualTo("expired_token");
      JsonNode revoked = ws.awaitMessage(m -> m.path("d").path("a").asText().equals("c"));
      assertThat(revoked.path("d").path("b").path("p").asText()).isEqualTo("users/alice");
      // Now unauthenticated: writes the token allowed are refused.
      assertThat(ws.call("p", "{\"p\":\"/users/alice\",\"d\":3}").path("s").asText())
          .isEqualTo("permission_denied");
    }
  }
}
