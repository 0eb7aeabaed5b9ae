package io.canopy.gateway.auth;

import static io.canopy.gateway.auth.Tokens.EC;
import static io.canopy.gateway.auth.Tokens.EC2;
import static io.canopy.gateway.auth.Tokens.RSA;
import static io.canopy.gateway.auth.Tokens.RSA2;
import static io.canopy.gateway.auth.Tokens.b64;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.canopy.gateway.auth.AuthResult.Failed;
import io.canopy.gateway.auth.AuthResult.Ok;
import io.canopy.gateway.auth.AuthResult.Status;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenVerifierTest {

  static final long NOW = 1_700_000_000L;
  static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC);
  static final String SECRET = "s3cr3t-database-secret-0123456789abcdefgh";
  static final String HS = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";
  static final String RS = "{\"alg\":\"RS256\",\"typ\":\"JWT\"}";
  static final String ES = "{\"alg\":\"ES256\",\"typ\":\"JWT\"}";

  @TempDir Path dir;

  static AuthConfig prod() {
    return AuthConfig.defaults().withDevMode(false).withClock(CLOCK);
  }

  static TokenVerifier verifier(AuthConfig config) {
    return new TokenVerifier(config);
  }

  static String claims(String extra) {
    return "{\"sub\":\"ada\",\"iat\":" + (NOW - 10) + ",\"exp\":" + (NOW + 3600)
        + (extra.isEmpty() ? "" : "," + extra) + "}";
  }

  static AuthContext ok(AuthResult r) {
    assertThat(r).isInstanceOf(Ok.class);
    return ((Ok) r).context();
  }

  static void invalid(AuthResult r) {
    assertThat(r).isInstanceOfSatisfying(Failed.class, f -> {
      assertThat(f.status()).isEqualTo(Status.INVALID_TOKEN);
      assertThat(f.status().wire()).isEqualTo("invalid_token");
    });
  }

  static void expired(AuthResult r) {
    assertThat(r).isInstanceOfSatisfying(Failed.class, f -> {
      assertThat(f.status().wire()).isEqualTo("expired_token");
      assertThat(f.message()).isEqualTo("Auth token is expired.");
    });
  }

  // --- signatures -----------------------------------------------------------------------------------------------

  @Test
  void validHs256() {
    TokenVerifier v = verifier(prod().withHs256Secrets(List.of("other", SECRET)));
    AuthContext c = ok(v.verify(Tokens.hs256(SECRET, HS, claims(""))));
    assertThat(c.admin()).isFalse();
    assertThat(c.uid()).isEqualTo("ada");
    assertThat(c.provider()).isEqualTo("custom");
    assertThat(c.expiresAt()).isEqualTo(Instant.ofEpochSecond(NOW + 3600));
  }

  @Test
  void validRs256FromPem() {
    TokenVerifier v = verifier(prod().withPublicKeyPems(List.of(Tokens.pem(RSA2.getPublic()), Tokens.pem(
        RSA.getPublic()))));
    assertThat(ok(v.verify(Tokens.rs256(RSA.getPrivate(), RS, claims("")))).uid()).isEqualTo("ada");
  }

  @Test
  void validEs256FromPem() {
    TokenVerifier v = verifier(prod().withPublicKeyPems(List.of(Tokens.pem(EC.getPublic()))));
    for (int i = 0; i < 20; i++) { // r or s with a high bit or leading zeros exercise the DER conversion
      assertThat(ok(v.verify(Tokens.es256(EC.getPrivate(), ES, claims("\"n\":" + i)))).uid()).isEqualTo("ada");
    }
  }

  @Test
  void jwksSelectsByKid() throws Exception {
    Path jwks = dir.resolve("jwks.json");
    Files.writeString(jwks, "{\"keys\":[" + Tokens.jwk("r1", RSA.getPublic()) + "," + Tokens.jwk("r2",
        RSA2.getPublic()) + "," + Tokens.jwk("e1", EC.getPublic()) + ","
        + "{\"kty\":\"oct\",\"k\":\"AAAA\"},{\"kty\":\"RSA\",\"use\":\"enc\",\"n\":\"x\",\"e\":\"AQAB\"}]}");
    TokenVerifier v = verifier(prod().withJwksFile(jwks));
    assertThat(v.publicKeyCount()).isEqualTo(3);
    ok(v.verify(Tokens.rs256(RSA2.getPrivate(), "{\"alg\":\"RS256\",\"kid\":\"r2\"}", claims(""))));
    ok(v.verify(Tokens.es256(EC.getPrivate(), "{\"alg\":\"ES256\",\"kid\":\"e1\"}", claims(""))));
    // Signed by r2's key but naming r1: only r1 is tried.
    invalid(v.verify(Tokens.rs256(RSA2.getPrivate(), "{\"alg\":\"RS256\",\"kid\":\"r1\"}", claims(""))));
    invalid(v.verify(Tokens.rs256(RSA2.getPrivate(), "{\"alg\":\"RS256\",\"kid\":\"nope\"}", claims(""))));
    invalid(v.verify(Tokens.rs256(RSA2.getPrivate(), "{\"alg\":\"RS256\",\"kid\":7}", claims(""))));
  }

  @Test
  void reloadPicksUpRotatedKeysAndKeepsOldOnFailure() throws Exception {
    Path jwks = dir.resolve("jwks.json");
    Files.writeString(jwks, "{\"keys\":[" + Tokens.jwk("a", RSA.getPublic()) + "]}");
    TokenVerifier v = verifier(prod().withJwksFile(jwks));
    String tokenB = Tokens.rs256(RSA2.getPrivate(), "{\"alg\":\"RS256\",\"kid\":\"b\"}", claims(""));
    invalid(v.verify(tokenB));
    Files.writeString(jwks, "{\"keys\":[" + Tokens.jwk("b", RSA2.getPublic()) + "]}");
    v.reload();
    ok(v.verify(tokenB));
    Files.writeString(jwks, "{\"keys\":");
    assertThatThrownBy(v::reload).isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("auth: ");
    ok(v.verify(tokenB));
  }

  @Test
  void wrongKeyFails() {
    TokenVerifier v = verifier(prod().withHs256Secrets(List.of(SECRET))
        .withPublicKeyPems(List.of(Tokens.pem(RSA.getPublic()), Tokens.pem(EC.getPublic()))));
    invalid(v.verify(Tokens.hs256("not-the-secret", HS, claims(""))));
    invalid(v.verify(Tokens.rs256(RSA2.getPrivate(), RS, claims(""))));
    invalid(v.verify(Tokens.es256(EC2.getPrivate(), ES, claims(""))));
  }

  @Test
  void tamperedPayloadFails() {
    TokenVerifier v = verifier(prod().withHs256Secrets(List.of(SECRET))
        .withPublicKeyPems(List.of(Tokens.pem(RSA.getPublic()), Tokens.pem(EC.getPublic()))));
    for (String token : List.of(Tokens.hs256(SECRET, HS, claims("")), Tokens.rs256(RSA.getPrivate(), RS,
        claims("")), Tokens.es256(EC.getPrivate(), ES, claims("")))) {
      ok(v.verify(token));
      String[] p = token.split("\\.");
      invalid(v.verify(p[0] + "." + b64(claims("\"admin\":true")) + "." + p[2]));
      char c = p[2].charAt(5);
      invalid(v.verify(p[0] + "." + p[1] + "." + p[2].substring(0, 5) + (c == 'A' ? 'B' : 'A') + p[2].substring(6)));
      invalid(v.verify(p[0] + "." + p[1] + "."));
    }
  }

  // --- algorithm confusion ----------------------------------------------------------------------------------------

  @Test
  void rs256TokenRefusedByHs256OnlyConfig() {
    TokenVerifier v = verifier(prod().withHs256Secrets(List.of(SECRET)));
    invalid(v.verify(Tokens.rs256(RSA.getPrivate(), RS, claims(""))));
  }

  @Test
  void algMustMatchKeyType() {
    TokenVerifier v = verifier(prod().withPublicKeyPems(List.of(Tokens.pem(RSA.getPublic()))));
    // An RSA signature labelled ES256, and an unknown alg.
    String rs = Tokens.rs256(RSA.getPrivate(), RS, claims(""));
    String body = rs.substring(rs.indexOf('.'));
    invalid(v.verify(b64(ES) + body));
    invalid(v.verify(b64("{\"alg\":\"RS512\"}") + body));
    invalid(v.verify(b64("{\"typ\":\"JWT\"}") + body));
    invalid(v.verify(b64("{\"alg\":\"RS256\",\"crit\":[\"exp\"]}") + body));
  }

  @Test
  void hs256SignedWithThePublicKeyFails() {
    String pem = Tokens.pem(RSA.getPublic());
    TokenVerifier v = verifier(prod().withPublicKeyPems(List.of(pem)));
    invalid(v.verify(Tokens.hs256(pem, HS, claims(""))));
    String input = b64(HS) + "." + b64(claims(""));
    invalid(v.verify(input + "." + b64(Tokens.hmac(RSA.getPublic().getEncoded(), input))));
  }

  @Test
  void algNoneOnlyInDevMode() {
    String none = Tokens.unsigned("{\"alg\":\"none\"}", claims(""));
    invalid(verifier(prod().withHs256Secrets(List.of(SECRET))).verify(none));
    ok(verifier(prod().withDevMode(true)).verify(none));
    invalid(verifier(prod().withDevMode(true)).verify(none + "c2ln"));
    invalid(verifier(prod()).verify(Tokens.unsigned("{\"alg\":\"NONE\"}", claims(""))));
  }

  // --- time claims ------------------------------------------------------------------------------------------------

  static AuthResult timed(String claimsJson) {
    return verifier(prod().withHs256Secrets(List.of(SECRET))).verify(Tokens.hs256(SECRET, HS, claimsJson));
  }

  @Test
  void expWithSkew() {
    ok(timed("{\"sub\":\"a\",\"exp\":" + (NOW - 60) + "}"));
    expired(timed("{\"sub\":\"a\",\"exp\":" + (NOW - 61) + "}"));
    expired(timed("{\"sub\":\"a\",\"exp\":" + (NOW - 60.5) + "}"));
    invalid(timed("{\"sub\":\"a\"}"));
    invalid(timed("{\"sub\":\"a\",\"exp\":\"" + (NOW + 100) + "\"}"));
    ok(timed("{\"sub\":\"a\",\"exp\":1e300}"));
    AuthResult strict = verifier(prod().withHs256Secrets(List.of(SECRET)).withClockSkew(java.time.Duration.ZERO))
        .verify(Tokens.hs256(SECRET, HS, "{\"sub\":\"a\",\"exp\":" + (NOW - 1) + "}"));
    expired(strict);
  }

  @Test
  void nbfWithSkew() {
    ok(timed("{\"sub\":\"a\",\"exp\":" + (NOW + 600) + ",\"nbf\":" + (NOW + 60) + "}"));
    invalid(timed("{\"sub\":\"a\",\"exp\":" + (NOW + 600) + ",\"nbf\":" + (NOW + 61) + "}"));
    invalid(timed("{\"sub\":\"a\",\"exp\":" + (NOW + 600) + ",\"nbf\":null}"));
  }

  @Test
  void iatWithSkew() {
    ok(timed("{\"sub\":\"a\",\"exp\":" + (NOW + 600) + ",\"iat\":" + (NOW + 60) + "}"));
    invalid(timed("{\"sub\":\"a\",\"exp\":" + (NOW + 600) + ",\"iat\":" + (NOW + 61) + "}"));
    ok(timed("{\"sub\":\"a\",\"exp\":" + (NOW + 600) + ",\"iat\":0}"));
  }

  // --- issuer and audience --------------------------------------------------------------------------------------

  @Test
  void issuerAndAudience() {
    TokenVerifier v = verifier(prod().withHs256Secrets(List.of(SECRET))
        .withIssuer("https://securetoken.google.com/p1").withAudience("p1"));
    String iss = "\"iss\":\"https://securetoken.google.com/p1\"";
    ok(v.verify(Tokens.hs256(SECRET, HS, claims(iss + ",\"aud\":\"p1\""))));
    ok(v.verify(Tokens.hs256(SECRET, HS, claims(iss + ",\"aud\":[\"x\",\"p1\"]"))));
    invalid(v.verify(Tokens.hs256(SECRET, HS, claims(iss + ",\"aud\":\"p2\""))));
    invalid(v.verify(Tokens.hs256(SECRET, HS, claims(iss))));
    invalid(v.verify(Tokens.hs256(SECRET, HS, claims("\"iss\":\"https://evil\",\"aud\":\"p1\""))));
  }

  // --- uid, provider and claims ------------------------------------------------------------------------------------

  @Test
  void uidFromSubElseUserId() {
    assertThat(ok(timed("{\"user_id\":\"u1\",\"exp\":" + (NOW + 60) + "}")).uid()).isEqualTo("u1");
    assertThat(ok(timed("{\"sub\":\"s\",\"user_id\":\"u1\",\"exp\":" + (NOW + 60) + "}")).uid()).isEqualTo("s");
    invalid(timed("{\"exp\":" + (NOW + 60) + "}"));
    invalid(timed("{\"sub\":\"\",\"exp\":" + (NOW + 60) + "}"));
    invalid(timed("{\"sub\":42,\"exp\":" + (NOW + 60) + "}"));
    invalid(timed("{\"sub\":\"" + "x".repeat(129) + "\",\"exp\":" + (NOW + 60) + "}"));
    ok(timed("{\"sub\":\"" + "x".repeat(128) + "\",\"exp\":" + (NOW + 60) + "}"));
  }

  @Test
  @SuppressWarnings("unchecked")
  void claimsShape() {
    AuthContext c = ok(timed(claims("\"email\":\"ada@example.com\",\"email_verified\":true,"
        + "\"firebase\":{\"sign_in_provider\":\"password\",\"identities\":{\"email\":[\"ada@example.com\"]}},"
        + "\"role\":\"admin\",\"groups\":[\"a\",{\"b\":null}]")));
    assertThat(c.provider()).isEqualTo("password");
    Map<String, Object> token = c.token();
    assertThat(token).containsEntry("email", "ada@example.com").containsEntry("email_verified", true)
        .containsEntry("role", "admin").containsEntry("sub", "ada").containsEntry("exp", (int) (NOW + 3600));
    Map<String, Object> firebase = (Map<String, Object>) token.get("firebase");
    assertThat(firebase).containsEntry("sign_in_provider", "password");
    List<Object> groups = (List<Object>) token.get("groups");
    assertThat(groups).hasSize(2);
    assertThatThrownBy(() -> token.put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> firebase.put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> groups.add(1)).isInstanceOf(UnsupportedOperationException.class);
    assertThat(c.ruleVariable()).containsEntry("uid", "ada").containsEntry("provider", "password")
        .containsEntry("token", token);
    assertThat(c.toString()).doesNotContain("ada@example.com");
  }

  @Test
  void providerFallbacks() {
    assertThat(ok(timed(claims(""))).provider()).isEqualTo("custom");
    assertThat(ok(timed(claims("\"provider_id\":\"anonymous\""))).provider()).isEqualTo("anonymous");
    assertThat(ok(timed(claims("\"firebase\":{\"sign_in_provider\":\"anonymous\"}"))).provider())
        .isEqualTo("anonymous");
  }

  // --- emulator credentials ------------------------------------------------------------------------------------

  /** Exactly what {@code createMockUserToken} in {@code @firebase/util} builds for {@code {sub: "alice"}}. */
  static String jsMockToken() {
    String header = "{\"alg\":\"none\",\"type\":\"JWT\"}";
    String payload = "{\"iss\":\"https://securetoken.google.com/demo-project\",\"aud\":\"demo-project\",\"iat\":0,"
        + "\"exp\":3600,\"auth_time\":0,\"sub\":\"alice\",\"user_id\":\"alice\","
        + "\"firebase\":{\"sign_in_provider\":\"custom\",\"identities\":{}},\"email\":\"alice@example.com\"}";
    return b64(header) + "." + b64(payload) + ".";
  }

  @Test
  void jsMockTokenInDevModeOnly() {
    AuthConfig dev = AuthConfig.defaults().withClock(CLOCK).withAudience("my-project");
    AuthContext c = ok(verifier(dev).verify(jsMockToken()));
    assertThat(c.uid()).isEqualTo("alice");
    assertThat(c.provider()).isEqualTo("custom");
    assertThat(c.token()).containsEntry("email", "alice@example.com").containsEntry("aud", "demo-project");
    assertThat(c.expiresAt()).isNull(); // the emulator does not time-check unsigned tokens (iat 0, exp 3600)
    invalid(verifier(dev.withDevMode(false)).verify(jsMockToken()));
  }

  @Test
  void devModeWithoutKeysAcceptsSignedTokensUnverified() {
    AuthConfig dev = AuthConfig.defaults().withClock(CLOCK);
    TokenVerifier v = verifier(dev);
    assertThat(v.acceptsUnverified()).isTrue();
    // signed with keys the server does not know: accepted like the emulator, claims still read and time-checked
    AuthContext hs = ok(v.verify(Tokens.hs256("unknown-secret", HS, claims(""))));
    assertThat(hs.uid()).isEqualTo("ada");
    assertThat(hs.expiresAt()).isEqualTo(Instant.ofEpochSecond(NOW + 3600));
    assertThat(ok(v.verify(Tokens.rs256(RSA.getPrivate(), RS, claims("")))).uid()).isEqualTo("ada");
    assertThat(ok(v.verify(Tokens.es256(EC.getPrivate(), ES, claims("")))).uid()).isEqualTo("ada");
    expired(v.verify(Tokens.hs256("unknown-secret", HS,
        "{\"sub\":\"ada\",\"exp\":" + (NOW - 3600) + "}")));
    invalid(v.verify(Tokens.hs256("unknown-secret", HS, "{\"exp\":" + (NOW + 60) + "}"))); // no uid
    invalid(verifier(dev.withIssuer("https://issuer")).verify(Tokens.hs256("k", HS, claims(""))));
    invalid(v.verify(b64(HS) + "." + b64(claims("")) + ".")); // a signed alg needs a signature
    invalid(v.verify(b64("{\"alg\":\"HS512\"}") + "." + b64(claims("")) + "." + b64("sig")));
    // switched off, outside dev mode, or once any key is configured: verified as usual
    assertThat(verifier(dev.withAcceptUnverifiedInDevMode(false)).acceptsUnverified()).isFalse();
    invalid(verifier(dev.withAcceptUnverifiedInDevMode(false)).verify(Tokens.hs256("k", HS, claims(""))));
    invalid(verifier(prod()).verify(Tokens.hs256("k", HS, claims(""))));
    TokenVerifier keyed = verifier(dev.withHs256Secrets(List.of(SECRET)));
    assertThat(keyed.acceptsUnverified()).isFalse();
    invalid(keyed.verify(Tokens.hs256("k", HS, claims(""))));
    invalid(keyed.verify(Tokens.rs256(RSA.getPrivate(), RS, claims(""))));
    assertThat(ok(keyed.verify(Tokens.hs256(SECRET, HS, claims("")))).uid()).isEqualTo("ada");
    invalid(verifier(dev.withPublicKeyPems(List.of(Tokens.pem(RSA2.getPublic()))))
        .verify(Tokens.rs256(RSA.getPrivate(), RS, claims(""))));
  }

  @Test
  void ownerInDevModeOnly() {
    assertThat(ok(verifier(AuthConfig.defaults()).verify("owner"))).isEqualTo(AuthContext.ADMIN);
    invalid(verifier(prod()).verify("owner"));
    invalid(verifier(prod()).verify("Owner"));
  }

  @Test
  void legacyDatabaseSecretIsAdmin() {
    TokenVerifier v = verifier(prod().withHs256Secrets(List.of("first", SECRET)));
    AuthContext c = ok(v.verify(SECRET));
    assertThat(c.admin()).isTrue();
    assertThat(c.expiresAt()).isNull();
    assertThatThrownBy(c::ruleVariable).isInstanceOf(IllegalStateException.class);
    invalid(v.verify(SECRET + "x"));
    invalid(v.verify(SECRET.substring(1)));
    invalid(verifier(prod()).verify(SECRET));
  }

  // --- malformed input ------------------------------------------------------------------------------------------

  @Test
  void malformedInputIsInvalidWithoutExceptions() {
    TokenVerifier v = verifier(AuthConfig.defaults().withClock(CLOCK).withHs256Secrets(List.of(SECRET))
        .withPublicKeyPems(List.of(Tokens.pem(RSA.getPublic()), Tokens.pem(EC.getPublic()))));
    String h = b64("{\"alg\":\"none\"}");
    String p = b64(claims(""));
    List<String> bad = new java.util.ArrayList<>(List.of(
        "", "a", "a.b", h + "." + p, "a.b.c.d", h + "." + p + ".." , "." + p + ".", h + "..",
        "!!!." + p + ".", h + ".%%%.", b64("not json") + "." + p + ".", h + "." + b64("[1,2]") + ".",
        h + "." + b64("{\"sub\":\"a\"} trailing") + ".", h + "." + b64("{\"sub\":\"a\",\"sub\":\"b\"}") + ".",
        b64("{\"alg\":\"HS256\"}") + "." + p + ".***", b64("{\"alg\":\"ES256\"}") + "." + p + "." + b64("short"),
        b64("{\"alg\":\"ES256\"}") + "." + p + "." + b64(new byte[64]),
        b64("{\"alg\":\"RS256\"}") + "." + p + "." + b64(new byte[256]), "x".repeat(20_000),
        "é.é.é", b64(new byte[] {(byte) 0xff, (byte) 0xfe}) + "." + p + "."));
    bad.add(null);
    for (String s : bad) {
      invalid(v.verify(s));
    }
  }

  @Test
  void failureMessagesUseFirebaseWording() {
    Failed f = (Failed) verifier(prod()).verify("garbage");
    assertThat(f.message()).isEqualTo("Could not parse auth token.");
    assertThat(f.reason()).doesNotContain("garbage");
  }

  @Test
  void derConversion() {
    byte[] jose = new byte[64];
    jose[0] = (byte) 0x80; // r with the high bit: padded with 0x00
    jose[63] = 1; // s = 1: leading zeros stripped
    assertThat(Keys.joseToDer(jose)).startsWith(0x30, 2 + 33 + 3, 0x02, 33, 0x00, 0x80)
        .endsWith(0x02, 1, 1);
    assertThat(Keys.joseToDer(new byte[63])).isNull();
    assertThat(new String(Keys.joseToDer(new byte[64]), StandardCharsets.ISO_8859_1))
        .isEqualTo("\u0030\u0006\u0002\u0001\u0000\u0002\u0001\u0000");
  }
}
