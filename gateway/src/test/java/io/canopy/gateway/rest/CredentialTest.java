package io.canopy.gateway.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.canopy.core.error.CanopyException;
import io.canopy.gateway.auth.AuthConfig;
import io.canopy.gateway.auth.AuthContext;
import io.canopy.gateway.auth.TokenVerifier;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.util.Base64;
import org.junit.jupiter.api.Test;

public class CredentialTest {
  private static final String SECRET = "credential-test-secret";

  /** An unsigned token (empty signature), as the emulator and the SDKs' mockUserToken make. */
  public static String jwt(String header, String payload) {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    return b64.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
        + b64.encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + ".";
  }

  /** An HS256 token signed with {@code secret}. */
  public static String hs256(String secret, String payload) {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String input = b64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8))
        + "." + b64.encodeToString(payload.getBytes(StandardCharsets.UTF_8));
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return input + "." + b64.encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
    } catch (GeneralSecurityException e) {
      throw new AssertionError(e);
    }
  }

  private static void assert401(Runnable r, String message) {
    assertThatThrownBy(r::run)
        .isInstanceOfSatisfying(CanopyException.class, e -> assertThat(e.code().httpStatus()).isEqualTo(401))
        .hasMessage(message);
  }

  private static void assert401(Runnable r) {
    assertThatThrownBy(r::run)
        .isInstanceOfSatisfying(CanopyException.class, e -> assertThat(e.code().httpStatus()).isEqualTo(401))
        .hasMessage("Could not parse auth token.");
  }

  @Test
  void noneWithoutCredentials() {
    assertThat(Credential.parse(null, null, null)).isEqualTo(Credential.NONE);
    assertThat(Credential.parse(null, null, "Basic dXNlcjpwYXNz")).isEqualTo(Credential.NONE);
  }

  @Test
  void idTokensAreVerifiedAndCarryTheirExpiry() {
    TokenVerifier verifier = new TokenVerifier(AuthConfig.defaults().withHs256Secrets(List.of(SECRET)));
    long exp = System.currentTimeMillis() / 1000 + 3600;
    Credential parsed = Credential.parse(hs256(SECRET, "{\"sub\":\"ada\",\"exp\":" + exp + "}"), null, null);
    assertThat(parsed.kind()).isEqualTo(Credential.Kind.ID_TOKEN);
    assertThat(parsed.context()).isNull();
    Credential c = parsed.verify(verifier);
    assertThat(c.context().uid()).isEqualTo("ada");
    assertThat(c.expiresAtMillis()).isEqualTo(exp * 1000);
    assertThat(c.expiredAt(exp * 1000 + 1)).isTrue();
    assertThat(c.expiredAt(exp * 1000 - 1)).isFalse();
    assertThat(c.toString()).doesNotContain(c.token());
    // an unsigned dev-mode token never expires
    Credential mock = Credential.parse(jwt("{\"alg\":\"none\"}", "{\"sub\":\"x\"}"), null, null)
        .verify(new TokenVerifier(AuthConfig.defaults()));
    assertThat(mock.context().uid()).isEqualTo("x");
    assertThat(mock.expiresAtMillis()).isNull();
    assertThat(Credential.NONE.verify(verifier)).isEqualTo(Credential.NONE);
  }

  @Test
  void refusedCredentialsAre401WithFirebasesWording() {
    TokenVerifier verifier = new TokenVerifier(AuthConfig.defaults().withHs256Secrets(List.of(SECRET)));
    long past = System.currentTimeMillis() / 1000 - 3600;
    assert401(() -> Credential.parse(hs256(SECRET, "{\"sub\":\"a\",\"exp\":" + past + "}"), null, null)
        .verify(verifier), "Auth token is expired");
    assert401(() -> Credential.parse(hs256("wrong", "{\"sub\":\"a\",\"exp\":" + (past + 7200) + "}"), null,
        null).verify(verifier), "Could not parse auth token.");
    assert401(() -> Credential.parse(null, "ya29.a0AfH6SM-x_y", null).verify(verifier),
        "Could not parse auth token.");
    assert401(() -> Credential.parse(jwt("[1]", "{}"), null, null).verify(verifier), "Could not parse auth token.");
    TokenVerifier production = new TokenVerifier(AuthConfig.defaults().withDevMode(false));
    assert401(() -> Credential.parse("owner", null, null).verify(production), "Could not parse auth token.");
    assertThat(Credential.parse("owner", null, null).verify(verifier).context()).isEqualTo(AuthContext.ADMIN);
    assertThat(Credential.parse(SECRET, null, null).verify(verifier).context()).isEqualTo(AuthContext.ADMIN);
  }

  @Test
  void secretsAndOwner() {
    assertThat(Credential.parse("owner", null, null).kind()).isEqualTo(Credential.Kind.SECRET);
    assertThat(Credential.parse("abcdefABCDEF0123456789abcdefABCDEF012345", null, null).kind())
        .isEqualTo(Credential.Kind.SECRET);
  }

  @Test
  void accessTokensFromTheParameterOrTheBearerHeader() {
    assertThat(Credential.parse(null, "ya29.a0AfH6SM-x_y", null).kind()).isEqualTo(Credential.Kind.ACCESS_TOKEN);
    Credential bearer = Credential.parse(null, null, "Bearer ya29.token");
    assertThat(bearer.kind()).isEqualTo(Credential.Kind.ACCESS_TOKEN);
    assertThat(bearer.token()).isEqualTo("ya29.token");
    assertThat(Credential.parse(null, null, "bearer owner").token()).isEqualTo("owner");
    // auth wins
    assertThat(Credential.parse("owner", "ya29.t", "Bearer x").kind()).isEqualTo(Credential.Kind.SECRET);
  }

  @Test
  void unparsableCredentialsAre401() {
    assert401(() -> Credential.parse("", null, null));
    assert401(() -> Credential.parse("has space", null, null));
    TokenVerifier dev = new TokenVerifier(AuthConfig.defaults());
    assert401(() -> Credential.parse("a.b", null, null).verify(dev));
    assert401(() -> Credential.parse("a.b.c.d", null, null).verify(dev));
    assert401(() -> Credential.parse("!!!.###.x", null, null).verify(dev));
    assert401(() -> Credential.parse(jwt("[1]", "{}"), null, null).verify(dev));
    assert401(() -> Credential.parse(jwt("{}", "\"str\""), null, null).verify(dev));
    assert401(() -> Credential.parse(jwt("{}", "{\"a\":1} trailing"), null, null).verify(dev));
    assert401(() -> Credential.parse(null, "", null));
    assert401(() -> Credential.parse(null, "tab\there", null));
    assert401(() -> Credential.parse(null, null, "Bearer"));
    assert401(() -> Credential.parse(null, null, "Bearer   "));
    assert401(() -> Credential.parse("x".repeat(20_000), null, null));
  }
}
