package io.canopy.gateway.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.canopy.core.error.CanopyException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class CredentialTest {

  static String jwt(String header, String payload) {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    return b64.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
        + b64.encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + ".";
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
  void idTokensAreJwtsWithTheirExpiry() {
    Credential c = Credential.parse(jwt("{\"alg\":\"none\"}", "{\"uid\":\"ada\",\"exp\":1700000000}"), null, null);
    assertThat(c.kind()).isEqualTo(Credential.Kind.ID_TOKEN);
    assertThat(c.expiresAtMillis()).isEqualTo(1_700_000_000_000L);
    assertThat(c.expiredAt(1_700_000_000_001L)).isTrue();
    assertThat(c.expiredAt(1_699_999_999_999L)).isFalse();
    assertThat(Credential.parse(jwt("{}", "{\"uid\":\"x\"}"), null, null).expiresAtMillis()).isNull();
    assertThat(c.toString()).doesNotContain(c.token());
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
    assert401(() -> Credential.parse("a.b", null, null));
    assert401(() -> Credential.parse("a.b.c.d", null, null));
    assert401(() -> Credential.parse("!!!.###.x", null, null));
    assert401(() -> Credential.parse(jwt("[1]", "{}"), null, null));
    assert401(() -> Credential.parse(jwt("{}", "\"str\""), null, null));
    assert401(() -> Credential.parse(jwt("{}", "{\"a\":1} trailing"), null, null));
    assert401(() -> Credential.parse(null, "", null));
    assert401(() -> Credential.parse(null, "tab\there", null));
    assert401(() -> Credential.parse(null, null, "Bearer"));
    assert401(() -> Credential.parse(null, null, "Bearer   "));
    assert401(() -> Credential.parse("x".repeat(20_000), null, null));
  }
}
