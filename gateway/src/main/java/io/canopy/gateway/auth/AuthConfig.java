package io.canopy.gateway.auth;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * How the gateway verifies credentials. Immutable; every value is checked when the record is built, with messages
 * prefixed {@code auth: }. A null list, skew or clock means the default; PEM keys are parsed here, so a bad key
 * fails at start-up rather than on the first request. The JWKS file is read by {@link TokenVerifier} (at
 * construction and on {@link TokenVerifier#reload()}).
 *
 * @param devMode accept the emulator's {@code owner} admin credential and unsigned ({@code alg: none}) tokens such
 *     as the Auth emulator's and the SDKs' {@code mockUserToken} (default {@value #DEFAULT_DEV_MODE}, the all-in-one
 *     server; turn it off in production)
 * @param acceptUnverifiedInDevMode in dev mode with no verification key configured at all (no HS256 secret, PEM
 *     key or JWKS file), accept a well-formed HS256/RS256/ES256 token WITHOUT checking its signature, like the
 *     Firebase emulator, still giving a user context from its claims (whose {@code exp}, {@code nbf}, {@code iat},
 *     {@code iss} and {@code aud} are checked as for a verified token); once any key is configured, every signed
 *     token is verified. Ignored outside dev mode (default {@value #DEFAULT_ACCEPT_UNVERIFIED_IN_DEV_MODE})
 * @param hs256Secrets shared secrets for HS256 tokens, used as their UTF-8 bytes; each is also accepted raw as a
 *     legacy database secret, which makes the caller an admin (default none)
 * @param publicKeyPems RS256 (RSA, at least 2048 bits) and ES256 (EC P-256) verification keys, each entry one or
 *     more PEM blocks of {@code -----BEGIN PUBLIC KEY-----} or {@code -----BEGIN CERTIFICATE-----} (X.509); such
 *     keys have no {@code kid} and are tried for any token of their algorithm (default none)
 * @param jwksFile an RFC 7517 JSON Web Key Set ({@code {"keys":[...]}}; RSA {@code n}/{@code e} and EC P-256
 *     {@code x}/{@code y} keys, chosen by the token's {@code kid}); null for none (the default)
 * @param issuer the required {@code iss} claim of signed tokens, e.g.
 *     {@code https://securetoken.google.com/<project>}; null to accept any (the default)
 * @param audience the required {@code aud} claim (a string, or an array containing it) of signed tokens, e.g. the
 *     Firebase project id; null to accept any (the default)
 * @param clockSkew tolerance for {@code exp}, {@code nbf} and {@code iat} (default 60 s; 0 to 1 h)
 * @param clock the time source (default {@link Clock#systemUTC()}); tests pass a fixed clock
 */
public record AuthConfig(
    boolean devMode,
    boolean acceptUnverifiedInDevMode,
    List<String> hs256Secrets,
    List<String> publicKeyPems,
    Path jwksFile,
    String issuer,
    String audience,
    Duration clockSkew,
    Clock clock) {

  public static final boolean DEFAULT_DEV_MODE = true;
  public static final boolean DEFAULT_ACCEPT_UNVERIFIED_IN_DEV_MODE = true;
  public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(60);
  public static final Duration MAX_CLOCK_SKEW = Duration.ofHours(1);

  public AuthConfig {
    hs256Secrets = hs256Secrets == null ? List.of() : copy(hs256Secrets, "hs256Secrets");
    publicKeyPems = publicKeyPems == null ? List.of() : copy(publicKeyPems, "publicKeyPems");
    clockSkew = clockSkew == null ? DEFAULT_CLOCK_SKEW : clockSkew;
    clock = clock == null ? Clock.systemUTC() : clock;
    for (String s : hs256Secrets) {
      if (s.isEmpty()) {
        throw new IllegalArgumentException("auth: hs256Secrets must not contain an empty secret");
      }
    }
    for (int i = 0; i < publicKeyPems.size(); i++) {
      Keys.parsePem(publicKeyPems.get(i), "publicKeyPems[" + i + "]");
    }
    if (jwksFile != null && jwksFile.toString().isBlank()) {
      throw new IllegalArgumentException("auth: jwksFile must not be blank");
    }
    if (issuer != null && issuer.isBlank()) {
      throw new IllegalArgumentException("auth: issuer must be null or non-blank");
    }
    if (audience != null && audience.isBlank()) {
      throw new IllegalArgumentException("auth: audience must be null or non-blank");
    }
    if (clockSkew.isNegative() || clockSkew.compareTo(MAX_CLOCK_SKEW) > 0) {
      throw new IllegalArgumentException("auth: clockSkew must be 0.." + MAX_CLOCK_SKEW + ": " + clockSkew);
    }
  }

  /** The defaults: dev mode accepting unverified tokens while no key is configured, no keys, no issuer or audience check, 60 s skew, the system clock. */
  public static AuthConfig defaults() {
    return new AuthConfig(DEFAULT_DEV_MODE, DEFAULT_ACCEPT_UNVERIFIED_IN_DEV_MODE, List.of(), List.of(), null, null, null, DEFAULT_CLOCK_SKEW,
        Clock.systemUTC());
  }

  public AuthConfig withDevMode(boolean v) {
    return new AuthConfig(v, acceptUnverifiedInDevMode, hs256Secrets, publicKeyPems, jwksFile, issuer, audience, clockSkew, clock);
  }

  public AuthConfig withAcceptUnverifiedInDevMode(boolean v) {
    return new AuthConfig(devMode, v, hs256Secrets, publicKeyPems, jwksFile, issuer, audience, clockSkew, clock);
  }

  /** True if no HS256 secret, PEM key or JWKS file is configured. */
  public boolean hasNoKeys() {
    return hs256Secrets.isEmpty() && publicKeyPems.isEmpty() && jwksFile == null;
  }

  public AuthConfig withHs256Secrets(List<String> v) {
    return new AuthConfig(devMode, acceptUnverifiedInDevMode, v, publicKeyPems, jwksFile, issuer, audience, clockSkew, clock);
  }

  public AuthConfig withPublicKeyPems(List<String> v) {
    return new AuthConfig(devMode, acceptUnverifiedInDevMode, hs256Secrets, v, jwksFile, issuer, audience, clockSkew, clock);
  }

  public AuthConfig withJwksFile(Path v) {
    return new AuthConfig(devMode, acceptUnverifiedInDevMode, hs256Secrets, publicKeyPems, v, issuer, audience, clockSkew, clock);
  }

  public AuthConfig withIssuer(String v) {
    return new AuthConfig(devMode, acceptUnverifiedInDevMode, hs256Secrets, publicKeyPems, jwksFile, v, audience, clockSkew, clock);
  }

  public AuthConfig withAudience(String v) {
    return new AuthConfig(devMode, acceptUnverifiedInDevMode, hs256Secrets, publicKeyPems, jwksFile, issuer, v, clockSkew, clock);
  }

  public AuthConfig withClockSkew(Duration v) {
    return new AuthConfig(devMode, acceptUnverifiedInDevMode, hs256Secrets, publicKeyPems, jwksFile, issuer, audience, v, clock);
  }

  public AuthConfig withClock(Clock v) {
    return new AuthConfig(devMode, acceptUnverifiedInDevMode, hs256Secrets, publicKeyPems, jwksFile, issuer, audience, clockSkew, v);
  }

  private static List<String> copy(List<String> list, String name) {
    for (String s : list) {
      if (s == null) {
        throw new IllegalArgumentException("auth: " + name + " must not contain null");
      }
    }
    return List.copyOf(list);
  }

  @Override
  public String toString() {
    // Never log a secret.
    return "AuthConfig[devMode=" + devMode + ", acceptUnverifiedInDevMode=" + acceptUnverifiedInDevMode
        + ", hs256Secrets=" + hs256Secrets.size() + ", publicKeyPems="
        + publicKeyPems.size() + ", jwksFile=" + jwksFile + ", issuer=" + issuer + ", audience=" + audience
        + ", clockSkew=" + clockSkew + "]";
  }

  /** True if some key can verify signed tokens (a secret, a public key or a JWKS file). */
  public boolean hasVerificationKey() {
    return !hs256Secrets.isEmpty() || !publicKeyPems.isEmpty() || jwksFile != null;
  }
}
