package io.canopy.gateway.auth;

import static io.canopy.gateway.auth.Tokens.EC;
import static io.canopy.gateway.auth.Tokens.RSA;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.canopy.gateway.auth.AuthResult.Ok;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuthConfigTest {

  /** A self-signed EC P-256 certificate (openssl, valid until 2126) and its PKCS#8 private key. */
  static final String CERT = """
      -----BEGIN CERTIFICATE-----
      MIIBgjCCASmgAwIBAgIUaZCAOxV37uKBRtZwFb3IQiuQS8YwCgYIKoZIzj0EAwIw
      FjEUMBIGA1UEAwwLY2Fub3B5LXRlc3QwIBcNMjYxMTIyMjE0MDI0WhgPMjEyNjEw
      MjkyMTQwMjRaMBYxFDASBgNVBAMMC2Nhbm9weS10ZXN0MFkwEwYHKoZIzj0CAQYI
      KoZIzj0DAQcDQgAEWa7le3im2quBI9aKDrHJtVT6AViNPApG/OfsqMF/Ib0hA1Mz
      n9LH0ku5Sba4AjSn7gRCT5pESYNuojPWCFKj16NTMFEwHQYDVR0OBBYEFJNP72nU
      0ubEUmPG+0xUqvdXQSKyMB8GA1UdIwQYMBaAFJNP72nU0ubEUmPG+0xUqvdXQSKy
      MA8GA1UdEwEB/wQFMAMBAf8wCgYIKoZIzj0EAwIDRwAwRAIgVGavEDKp9ySudWLj
      Wu1AOcDPvYxx6u2EispyB9YcvBcCIAbQZTct5PrPUZam4XT74F96dRw3CqjaN1d8
      x00UYgeq
      -----END CERTIFICATE-----
      """;
  static final String CERT_KEY = "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgCfwv9V3DNSm6ujuK"
      + "ORYQgDiPXjEpSfbPg1XEbeKd3wWhRANCAARZruV7eKbaq4Ej1ooOscm1VPoBWI08"
      + "Ckb85+yowX8hvSEDUzOf0sfSS7lJtrgCNKfuBEJPmkRJg26iM9YIUqPX";

  @TempDir Path dir;

  static void rejects(Runnable r, String fragment) {
    assertThatThrownBy(r::run).isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("auth: ")
        .hasMessageContaining(fragment);
  }

  @Test
  void defaults() {
    AuthConfig c = AuthConfig.defaults();
    assertThat(c.devMode()).isTrue();
    assertThat(c.acceptUnverifiedInDevMode()).isTrue();
    assertThat(c.hasNoKeys()).isTrue();
    assertThat(c.withAcceptUnverifiedInDevMode(false).acceptUnverifiedInDevMode()).isFalse();
    assertThat(c.withHs256Secrets(List.of("k")).hasNoKeys()).isFalse();
    assertThat(c.withJwksFile(Path.of("keys.json")).hasNoKeys()).isFalse();
    assertThat(c.hs256Secrets()).isEmpty();
    assertThat(c.publicKeyPems()).isEmpty();
    assertThat(c.jwksFile()).isNull();
    assertThat(c.issuer()).isNull();
    assertThat(c.audience()).isNull();
    assertThat(c.clockSkew()).isEqualTo(Duration.ofSeconds(60));
    assertThat(c.clock()).isNotNull();
    AuthConfig nulls = new AuthConfig(false, false, null, null, null, null, null, null, null);
    assertThat(nulls.hs256Secrets()).isEmpty();
    assertThat(nulls.clockSkew()).isEqualTo(AuthConfig.DEFAULT_CLOCK_SKEW);
    assertThat(nulls.clock()).isEqualTo(Clock.systemUTC());
  }

  @Test
  void validation() {
    AuthConfig d = AuthConfig.defaults();
    rejects(() -> d.withHs256Secrets(List.of("")), "empty secret");
    rejects(() -> d.withHs256Secrets(Arrays.asList("a", null)), "null");
    rejects(() -> d.withIssuer(" "), "issuer");
    rejects(() -> d.withAudience(""), "audience");
    rejects(() -> d.withClockSkew(Duration.ofSeconds(-1)), "clockSkew");
    rejects(() -> d.withClockSkew(Duration.ofHours(2)), "clockSkew");
    rejects(() -> d.withJwksFile(Path.of(" ")), "jwksFile");
    rejects(() -> d.withPublicKeyPems(List.of("not a pem")), "publicKeyPems[0]");
    rejects(() -> d.withPublicKeyPems(List.of("-----BEGIN RSA PUBLIC KEY-----\nAAAA\n-----END RSA PUBLIC KEY-----")),
        "unsupported PEM block");
    rejects(() -> d.withPublicKeyPems(List.of("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----")),
        "not an RSA or EC public key");
    rejects(() -> d.withPublicKeyPems(List.of("junk" + Tokens.pem(RSA.getPublic()))), "outside a PEM block");
  }

  @Test
  void rejectsWeakRsaAndOtherCurves() throws Exception {
    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(1024);
    rejects(() -> AuthConfig.defaults().withPublicKeyPems(List.of(Tokens.pem(rsa.generateKeyPair().getPublic()))),
        "2048");
    KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
    ec.initialize(new ECGenParameterSpec("secp384r1"));
    rejects(() -> AuthConfig.defaults().withPublicKeyPems(List.of(Tokens.pem(ec.generateKeyPair().getPublic()))),
        "P-256");
  }

  @Test
  void secretsStayOutOfToString() {
    assertThat(AuthConfig.defaults().withHs256Secrets(List.of("hunter2")).toString()).doesNotContain("hunter2");
  }

  @Test
  void certificatePemAndSeveralBlocksInOneEntry() throws Exception {
    PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(
        Base64.getDecoder().decode(CERT_KEY)));
    AuthConfig c = TokenVerifierTest.prod().withPublicKeyPems(List.of(Tokens.pem(RSA.getPublic()) + CERT));
    TokenVerifier v = new TokenVerifier(c);
    assertThat(v.publicKeyCount()).isEqualTo(2);
    String token = Tokens.es256(key, TokenVerifierTest.ES, TokenVerifierTest.claims(""));
    assertThat(v.verify(token)).isInstanceOf(Ok.class);
    assertThat(v.verify(Tokens.rs256(RSA.getPrivate(), TokenVerifierTest.RS, TokenVerifierTest.claims(""))))
        .isInstanceOf(Ok.class);
  }

  @Test
  void badJwksFailsConstruction() throws Exception {
    Path missing = dir.resolve("missing.json");
    rejects(() -> new TokenVerifier(AuthConfig.defaults().withJwksFile(missing)), "cannot read JWKS");
    Path f = dir.resolve("jwks.json");
    for (String[] bad : new String[][] {
        {"[]", "\"keys\" array"},
        {"{\"keys\":{}}", "\"keys\" array"},
        {"{\"keys\":[1]}", "not an object"},
        {"{\"keys\":[{\"n\":\"AQAB\"}]}", "missing \"kty\""},
        {"{\"keys\":[{\"kty\":\"RSA\",\"e\":\"AQAB\"}]}", "missing \"n\""},
        {"{\"keys\":[{\"kty\":\"RSA\",\"n\":\"***\",\"e\":\"AQAB\"}]}", "not base64url"},
        {"{\"keys\":[{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"AAAA\",\"y\":\"AAAA\"}]}", "32 bytes"},
        {"{\"keys\":[" + Tokens.jwk("k", RSA.getPublic()).replace("RS256", "ES256") + "]}", "does not fit"},
    }) {
      Files.writeString(f, bad[0]);
      rejects(() -> new TokenVerifier(AuthConfig.defaults().withJwksFile(f)), bad[1]);
    }
    Files.writeString(f, "{\"keys\":[{\"kty\":\"EC\",\"crv\":\"P-384\",\"x\":\"AA\",\"y\":\"AA\"},"
        + Tokens.jwk("e", EC.getPublic()) + "]}");
    assertThat(new TokenVerifier(AuthConfig.defaults().withJwksFile(f)).publicKeyCount()).isEqualTo(1);
  }
}
