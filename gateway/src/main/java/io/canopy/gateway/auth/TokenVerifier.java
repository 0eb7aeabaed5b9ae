package io.canopy.gateway.auth;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.canopy.gateway.auth.AuthResult.Failed;
import io.canopy.gateway.auth.AuthResult.Ok;
import io.canopy.gateway.auth.AuthResult.Status;
import io.canopy.gateway.auth.Keys.VerificationKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.Signature;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Verifies one credential (an ID token / JWT, a legacy database secret, or the emulator's {@code owner}) into an
 * {@link AuthContext}, or a failure in Firebase's terms. Thread-safe; {@link #verify(String)} never throws.
 *
 * <ul>
 *   <li>A configured HS256 secret given raw, and (in dev mode) {@code owner}, are admin credentials.
 *   <li>A JWT's header {@code alg} picks the keys, never the other way round: HS256 is checked only against the
 *       secrets, RS256 only against RSA keys, ES256 only against EC P-256 keys (so an HS256 token "signed" with a
 *       public key fails). A {@code kid} selects keys of that id plus the keys without one (PEM keys). Tokens with
 *       a {@code crit} header are refused.
 *   <li>{@code alg: none} with an empty signature is accepted in dev mode only, like the emulator: its claims are
 *       not checked for time, issuer or audience (the SDKs' mock tokens carry {@code iat: 0}), and it never expires.
 *   <li>In dev mode with {@link AuthConfig#acceptUnverifiedInDevMode()} and no key configured at all, a
 *       well-formed HS256/RS256/ES256 token is accepted without checking its signature (like the emulator); its
 *       claims are checked as below.
 *   <li>A signed token needs {@code exp}; past {@code exp + skew} it is {@code expired_token}. A {@code nbf} after
 *       {@code now + skew}, an {@code iat} after {@code now + skew}, or a wrong {@code iss}/{@code aud} (when
 *       configured) make it {@code invalid_token}.
 *   <li>Every token needs a uid: a non-empty {@code sub} (else {@code user_id}) of at most 128 characters.
 * </ul>
 */
public final class TokenVerifier {

  /** The emulator's admin credential. */
  public static final String OWNER = "owner";
  /** Longer than any real token (ID tokens are ~1 KB, custom claims included). */
  public static final int MAX_CREDENTIAL_LENGTH = 16 * 1024;
  /** Firebase's limit on a uid. */
  public static final int MAX_UID_LENGTH = 128;

  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();
  private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {};
  private static final java.util.Set<String> SIGNED_ALGS = java.util.Set.of("HS256", "RS256", "ES256");

  private final AuthConfig config;
  private final List<byte[]> secrets;
  private final List<SecretKeySpec> hmacKeys;
  private final List<VerificationKey> pemKeys;
  private volatile List<VerificationKey> keys;

  /**
   * Parses the configured keys and reads the JWKS file.
   *
   * @throws IllegalArgumentException ({@code auth: ...}) if the JWKS file cannot be read or holds a bad key
   */
  public TokenVerifier(AuthConfig config) {
    this.config = config;
    List<byte[]> s = new ArrayList<>();
    List<SecretKeySpec> h = new ArrayList<>();
    for (String secret : config.hs256Secrets()) {
      byte[] b = secret.getBytes(StandardCharsets.UTF_8);
      s.add(b);
      h.add(new SecretKeySpec(b, "HmacSHA256"));
    }
    this.secrets = List.copyOf(s);
    this.hmacKeys = List.copyOf(h);
    List<VerificationKey> pem = new ArrayList<>();
    for (int i = 0; i < config.publicKeyPems().size(); i++) {
      pem.addAll(Keys.parsePem(config.publicKeyPems().get(i), "publicKeyPems[" + i + "]"));
    }
    this.pemKeys = List.copyOf(pem);
    this.keys = load();
  }

  public AuthConfig config() {
    return config;
  }

  /**
   * Re-reads the JWKS file (after a key rotation). On failure the previous keys stay in use.
   *
   * @throws IllegalArgumentException ({@code auth: ...}) if the file cannot be read or holds a bad key
   */
  public void reload() {
    keys = load();
  }

  /** The number of RS256/ES256 keys in use (PEM and JWKS). */
  public int publicKeyCount() {
    return keys.size();
  }

  private List<VerificationKey> load() {
    List<VerificationKey> all = new ArrayList<>(pemKeys);
    if (config.jwksFile() != null) {
      all.addAll(Keys.readJwks(config.jwksFile()));
    }
    return List.copyOf(all);
  }

  /** Verifies {@code credential}; null, empty or anything malformed is an {@code invalid_token} failure. */
  public AuthResult verify(String credential) {
    try {
      return doVerify(credential);
    } catch (RuntimeException e) {
      // Defensive: hostile input must never escape as an exception.
      return invalid("unexpected " + e.getClass().getSimpleName());
    }
  }

  private AuthResult doVerify(String credential) {
    if (credential == null || credential.isEmpty()) {
      return invalid("empty credential");
    }
    if (credential.length() > MAX_CREDENTIAL_LENGTH) {
      return invalid("credential longer than " + MAX_CREDENTIAL_LENGTH);
    }
    if (isLegacySecret(credential)) {
      return new Ok(AuthContext.ADMIN);
    }
    if (credential.equals(OWNER)) {
      return config.devMode() ? new Ok(AuthContext.ADMIN) : invalid("owner is accepted in dev mode only");
    }
    int dot1 = credential.indexOf('.');
    int dot2 = dot1 < 0 ? -1 : credential.indexOf('.', dot1 + 1);
    if (dot2 < 0 || credential.indexOf('.', dot2 + 1) >= 0 || dot1 == 0 || dot2 == dot1 + 1) {
      return invalid("not a JWT (three segments)");
    }
    JsonNode header = jsonObject(credential.substring(0, dot1));
    JsonNode payload = jsonObject(credential.substring(dot1 + 1, dot2));
    if (header == null || payload == null) {
      return invalid("header or payload is not base64url JSON object");
    }
    JsonNode algNode = header.get("alg");
    if (algNode == null || !algNode.isTextual()) {
      return invalid("no alg");
    }
    if (header.has("crit")) {
      return invalid("unsupported crit header");
    }
    String alg = algNode.textValue();
    byte[] signingInput = credential.substring(0, dot2).getBytes(StandardCharsets.US_ASCII);
    String sig = credential.substring(dot2 + 1);
    if (alg.equals("none")) {
      if (!config.devMode()) {
        return invalid("unsigned token outside dev mode");
      }
      if (!sig.isEmpty()) {
        return invalid("unsigned token with a signature");
      }
      return user(payload, null);
    }
    byte[] signature = base64url(sig);
    if (signature == null) {
      return invalid("signature is not base64url");
    }
    JsonNode kidNode = header.get("kid");
    if (kidNode != null && !kidNode.isTextual()) {
      return invalid("kid is not a string");
    }
    String kid = kidNode == null ? null : kidNode.textValue();
    if (acceptsUnverified() && SIGNED_ALGS.contains(alg) && signature.length > 0) {
      // Emulator parity: no key to check against, so the signature is not checked; the claims still are.
      return checkClaims(payload);
    }
    boolean verified = switch (alg) {
      case "HS256" -> verifyHmac(signingInput, signature);
      case "RS256", "ES256" -> verifyPublic(alg, kid, signingInput, signature);
      default -> false;
    };
    if (!verified) {
      return invalid("signature does not verify (alg " + alg + (kid == null ? "" : ", kid " + kid) + ")");
    }
    return checkClaims(payload);
  }

  /** True if signed tokens are accepted without checking their signature (dev mode, no key configured). */
  public boolean acceptsUnverified() {
    return config.devMode() && config.acceptUnverifiedInDevMode() && config.hasNoKeys();
  }

  private AuthResult checkClaims(JsonNode claims) {
    Instant now = config.clock().instant();
    long skew = config.clockSkew().getSeconds();
    if (config.issuer() != null && !config.issuer().equals(text(claims.get("iss")))) {
      return invalid("wrong iss");
    }
    if (config.audience() != null && !hasAudience(claims.get("aud"), config.audience())) {
      return invalid("wrong aud");
    }
    Instant exp = time(claims.get("exp"));
    if (exp == null) {
      return invalid("exp missing or not a number");
    }
    if (claims.has("nbf")) {
      Instant nbf = time(claims.get("nbf"));
      if (nbf == null || nbf.minusSeconds(skew).isAfter(now)) {
        return invalid("nbf in the future");
      }
    }
    if (claims.has("iat")) {
      Instant iat = time(claims.get("iat"));
      if (iat == null || iat.minusSeconds(skew).isAfter(now)) {
        return invalid("iat in the future");
      }
    }
    if (now.isAfter(exp.plusSeconds(skew))) {
      return new Failed(Status.EXPIRED_TOKEN, "exp passed");
    }
    return user(claims, exp);
  }

  private static AuthResult user(JsonNode claims, Instant exp) {
    String uid;
    JsonNode sub = claims.get("sub");
    if (sub != null && !sub.isNull()) {
      uid = text(sub);
    } else {
      JsonNode userId = claims.get("user_id");
      uid = userId == null ? null : text(userId);
    }
    if (uid == null || uid.isEmpty() || uid.length() > MAX_UID_LENGTH) {
      return invalid("sub (or user_id) must be a string of 1.." + MAX_UID_LENGTH + " characters");
    }
    String provider = text(claims.path("firebase").get("sign_in_provider"));
    if (provider == null) {
      provider = "anonymous".equals(text(claims.get("provider_id"))) ? "anonymous" : "custom";
    }
    Map<String, Object> map = JSON.convertValue(claims, MAP);
    return new Ok(AuthContext.user(uid, provider, map, exp));
  }

  /** Compares against every secret in constant time, without stopping at a match. */
  private boolean isLegacySecret(String credential) {
    if (secrets.isEmpty()) {
      return false;
    }
    byte[] given = credential.getBytes(StandardCharsets.UTF_8);
    boolean match = false;
    for (byte[] secret : secrets) {
      match |= MessageDigest.isEqual(given, secret);
    }
    return match;
  }

  private boolean verifyHmac(byte[] input, byte[] signature) {
    if (signature.length != 32) {
      return false;
    }
    boolean match = false;
    for (SecretKeySpec key : hmacKeys) {
      try {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(key);
        match |= MessageDigest.isEqual(mac.doFinal(input), signature);
      } catch (GeneralSecurityException e) {
        return false;
      }
    }
    return match;
  }

  private boolean verifyPublic(String alg, String kid, byte[] input, byte[] signature) {
    byte[] sig = signature;
    if (alg.equals("ES256")) {
      sig = Keys.joseToDer(signature);
      if (sig == null) {
        return false;
      }
    }
    for (VerificationKey k : keys) {
      if (!k.keyAlg().equals(alg) || (k.alg() != null && !k.alg().equals(alg))
          || (kid != null && k.kid() != null && !k.kid().equals(kid))) {
        continue;
      }
      try {
        Signature s = Signature.getInstance(alg.equals("RS256") ? "SHA256withRSA" : "SHA256withECDSA");
        s.initVerify(k.key());
        s.update(input);
        if (s.verify(sig)) {
          return true;
        }
      } catch (GeneralSecurityException e) {
        // a malformed signature: try the next key, then fail
      }
    }
    return false;
  }

  private static boolean hasAudience(JsonNode aud, String expected) {
    if (aud == null) {
      return false;
    }
    if (aud.isArray()) {
      for (JsonNode a : aud) {
        if (expected.equals(text(a))) {
          return true;
        }
      }
      return false;
    }
    return expected.equals(text(aud));
  }

  /** A NumericDate (seconds, possibly fractional) as an instant, clamped to ±10^12 s; null if not a number. */
  private static Instant time(JsonNode n) {
    if (n == null || !n.isNumber()) {
      return null;
    }
    double seconds = Math.max(-1e12, Math.min(1e12, n.doubleValue()));
    long whole = (long) Math.floor(seconds);
    return Instant.ofEpochSecond(whole, (long) ((seconds - whole) * 1e9));
  }

  private static String text(JsonNode n) {
    return n != null && n.isTextual() ? n.textValue() : null;
  }

  private static byte[] base64url(String segment) {
    try {
      return Base64.getUrlDecoder().decode(segment);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** Decodes one base64url segment holding a JSON object; null if it does not. */
  private static JsonNode jsonObject(String segment) {
    byte[] bytes = base64url(segment);
    if (bytes == null) {
      return null;
    }
    try {
      JsonNode n = JSON.readTree(bytes);
      return n != null && n.isObject() ? n : null;
    } catch (IOException e) {
      return null;
    }
  }

  private static Failed invalid(String reason) {
    return new Failed(Status.INVALID_TOKEN, reason);
  }

  @Override
  public String toString() {
    return "TokenVerifier[" + config + "]";
  }
}
