package io.canopy.gateway.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parsing of verification keys (PEM, JWKS) and the JOSE-to-DER conversion of ES256 signatures. */
final class Keys {

  /** A parsed public key; {@code kid} and {@code alg} (a JWK's optional {@code alg}) may be null. */
  record VerificationKey(String kid, String alg, PublicKey key) {
    /** The JWS algorithm this key verifies: RS256 or ES256. */
    String keyAlg() {
      return key instanceof RSAPublicKey ? "RS256" : "ES256";
    }
  }

  static final int MIN_RSA_BITS = 2048;
  private static final Pattern PEM = Pattern.compile(
      "-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*?)-----END \\1-----");
  private static final ECParameterSpec P256 = p256();

  private Keys() {}

  /** Parses every PEM block of {@code pem}; at least one is required. */
  static List<VerificationKey> parsePem(String pem, String what) {
    Matcher m = PEM.matcher(pem);
    List<VerificationKey> keys = new ArrayList<>();
    int end = 0;
    while (m.find()) {
      if (!pem.substring(end, m.start()).isBlank()) {
        throw new IllegalArgumentException("auth: " + what + ": unexpected text outside a PEM block");
      }
      end = m.end();
      byte[] der;
      try {
        der = Base64.getMimeDecoder().decode(m.group(2));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("auth: " + what + ": bad base64 in PEM block", e);
      }
      PublicKey key = switch (m.group(1)) {
        case "PUBLIC KEY" -> spki(der, what);
        case "CERTIFICATE" -> certificate(der, what);
        default -> throw new IllegalArgumentException("auth: " + what + ": unsupported PEM block " + m.group(1)
            + " (expected PUBLIC KEY or CERTIFICATE)");
      };
      keys.add(new VerificationKey(null, null, check(key, what)));
    }
    if (!pem.substring(end).isBlank() || keys.isEmpty()) {
      throw new IllegalArgumentException("auth: " + what + ": expected -----BEGIN PUBLIC KEY----- or "
          + "-----BEGIN CERTIFICATE----- PEM");
    }
    return keys;
  }

  /**
   * Reads a JSON Web Key Set. RSA and EC P-256 signing keys are kept; keys of other types or curves, and keys
   * whose {@code use} is not {@code sig}, are skipped. A malformed supported key fails the whole set.
   */
  static List<VerificationKey> readJwks(Path file) {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new IllegalArgumentException("auth: cannot read JWKS " + file + ": " + e.getMessage(), e);
    }
    JsonNode list = root == null ? null : root.get("keys");
    if (list == null || !list.isArray()) {
      throw new IllegalArgumentException("auth: JWKS " + file + " must be an object with a \"keys\" array");
    }
    List<VerificationKey> keys = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      JsonNode k = list.get(i);
      String what = "JWKS " + file + " key " + i;
      if (!k.isObject()) {
        throw new IllegalArgumentException("auth: " + what + " is not an object");
      }
      String use = text(k, "use", what, false);
      if (use != null && !use.equals("sig")) {
        continue;
      }
      String kty = text(k, "kty", what, true);
      String kid = text(k, "kid", what, false);
      String alg = text(k, "alg", what, false);
      PublicKey key;
      try {
        if (kty.equals("RSA")) {
          key = KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(
              unsigned(k, "n", what), unsigned(k, "e", what)));
        } else if (kty.equals("EC") && "P-256".equals(text(k, "crv", what, true))) {
          byte[] x = b64url(k, "x", what);
          byte[] y = b64url(k, "y", what);
          if (x.length != 32 || y.length != 32) {
            throw new IllegalArgumentException("auth: " + what + ": P-256 x and y must be 32 bytes");
          }
          key = KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(
              new ECPoint(new BigInteger(1, x), new BigInteger(1, y)), P256));
        } else {
          continue;
        }
      } catch (GeneralSecurityException e) {
        throw new IllegalArgumentException("auth: " + what + ": " + e.getMessage(), e);
      }
      VerificationKey vk = new VerificationKey(kid, alg, check(key, what));
      if (alg != null && !alg.equals(vk.keyAlg())) {
        throw new IllegalArgumentException("auth: " + what + ": alg " + alg + " does not fit a " + kty + " key");
      }
      keys.add(vk);
    }
    return List.copyOf(keys);
  }

  /**
   * Converts a JOSE ES256 signature (r||s, 32 bytes each) to the ASN.1 DER {@code SEQUENCE {INTEGER r, INTEGER
   * s}} that {@link java.security.Signature} expects; null if it is not 64 bytes.
   */
  static byte[] joseToDer(byte[] jose) {
    if (jose.length != 64) {
      return null;
    }
    byte[] r = derInteger(jose, 0);
    byte[] s = derInteger(jose, 32);
    byte[] der = new byte[2 + r.length + s.length];
    der[0] = 0x30;
    der[1] = (byte) (r.length + s.length); // at most 70: the short length form suffices
    System.arraycopy(r, 0, der, 2, r.length);
    System.arraycopy(s, 0, der, 2 + r.length, s.length);
    return der;
  }

  /** One 32-byte unsigned big-endian integer as a minimal DER INTEGER. */
  private static byte[] derInteger(byte[] b, int off) {
    int start = off;
    while (start < off + 31 && b[start] == 0) {
      start++;
    }
    int len = off + 32 - start;
    boolean pad = (b[start] & 0x80) != 0;
    byte[] out = new byte[2 + len + (pad ? 1 : 0)];
    out[0] = 0x02;
    out[1] = (byte) (len + (pad ? 1 : 0));
    System.arraycopy(b, start, out, pad ? 3 : 2, len);
    return out;
  }

  private static PublicKey spki(byte[] der, String what) {
    X509EncodedKeySpec spec = new X509EncodedKeySpec(der);
    for (String type : new String[] {"RSA", "EC"}) {
      try {
        return KeyFactory.getInstance(type).generatePublic(spec);
      } catch (GeneralSecurityException e) {
        // try the next type
      }
    }
    throw new IllegalArgumentException("auth: " + what + ": not an RSA or EC public key");
  }

  private static PublicKey certificate(byte[] der, String what) {
    try {
      return CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der))
          .getPublicKey();
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("auth: " + what + ": bad X.509 certificate: " + e.getMessage(), e);
    }
  }

  /** Only RSA of at least {@value #MIN_RSA_BITS} bits and EC P-256 keys are accepted. */
  private static PublicKey check(PublicKey key, String what) {
    if (key instanceof RSAPublicKey rsa) {
      if (rsa.getModulus().bitLength() < MIN_RSA_BITS) {
        throw new IllegalArgumentException("auth: " + what + ": RSA keys must have at least " + MIN_RSA_BITS
            + " bits");
      }
      return key;
    }
    if (key instanceof ECPublicKey ec && isP256(ec.getParams())) {
      return key;
    }
    throw new IllegalArgumentException("auth: " + what + ": only RSA (RS256) and EC P-256 (ES256) keys are "
        + "supported");
  }

  private static boolean isP256(ECParameterSpec p) {
    return p.getCurve().equals(P256.getCurve()) && p.getGenerator().equals(P256.getGenerator())
        && p.getOrder().equals(P256.getOrder());
  }

  private static String text(JsonNode k, String field, String what, boolean required) {
    JsonNode v = k.get(field);
    if (v == null || v.isNull()) {
      if (required) {
        throw new IllegalArgumentException("auth: " + what + ": missing \"" + field + "\"");
      }
      return null;
    }
    if (!v.isTextual()) {
      throw new IllegalArgumentException("auth: " + what + ": \"" + field + "\" must be a string");
    }
    return v.textValue();
  }

  private static byte[] b64url(JsonNode k, String field, String what) {
    try {
      return Base64.getUrlDecoder().decode(text(k, field, what, true));
    } catch (IllegalArgumentException e) {
      if (e.getMessage() != null && e.getMessage().startsWith("auth: ")) {
        throw e;
      }
      throw new IllegalArgumentException("auth: " + what + ": \"" + field + "\" is not base64url", e);
    }
  }

  private static BigInteger unsigned(JsonNode k, String field, String what) {
    return new BigInteger(1, b64url(k, field, what));
  }

  private static ECParameterSpec p256() {
    try {
      AlgorithmParameters p = AlgorithmParameters.getInstance("EC");
      p.init(new ECGenParameterSpec("secp256r1"));
      return p.getParameterSpec(ECParameterSpec.class);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("auth: the JDK lacks secp256r1", e);
    }
  }
}
