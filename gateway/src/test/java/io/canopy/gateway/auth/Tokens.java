package io.canopy.gateway.auth;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Test helpers: key generation, PEM/JWK encoding and JWT signing. */
final class Tokens {

  private Tokens() {}

  static final KeyPair RSA = rsa();
  static final KeyPair RSA2 = rsa();
  static final KeyPair EC = ec();
  static final KeyPair EC2 = ec();

  static String b64(byte[] b) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  static String b64(String s) {
    return b64(s.getBytes(StandardCharsets.UTF_8));
  }

  static String unsigned(String header, String payload) {
    return b64(header) + "." + b64(payload) + ".";
  }

  static String hs256(String secret, String header, String payload) {
    String input = b64(header) + "." + b64(payload);
    return input + "." + b64(hmac(secret.getBytes(StandardCharsets.UTF_8), input));
  }

  static byte[] hmac(byte[] key, String input) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(input.getBytes(StandardCharsets.US_ASCII));
    } catch (GeneralSecurityException e) {
      throw new AssertionError(e);
    }
  }

  static String rs256(PrivateKey key, String header, String payload) {
    String input = b64(header) + "." + b64(payload);
    return input + "." + b64(sign("SHA256withRSA", key, input));
  }

  /** ES256 in JOSE form: r||s, produced here with the JDK's P1363 format so the DER conversion is tested apart. */
  static String es256(PrivateKey key, String header, String payload) {
    String input = b64(header) + "." + b64(payload);
    return input + "." + b64(sign("SHA256withECDSAinP1363Format", key, input));
  }

  static byte[] sign(String alg, PrivateKey key, String input) {
    try {
      Signature s = Signature.getInstance(alg);
      s.initSign(key);
      s.update(input.getBytes(StandardCharsets.US_ASCII));
      return s.sign();
    } catch (GeneralSecurityException e) {
      throw new AssertionError(e);
    }
  }

  static String pem(PublicKey key) {
    return "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded())
        + "\n-----END PUBLIC KEY-----\n";
  }

  static String jwk(String kid, PublicKey key) {
    if (key instanceof RSAPublicKey r) {
      return "{\"kty\":\"RSA\",\"kid\":\"" + kid + "\",\"use\":\"sig\",\"alg\":\"RS256\",\"n\":\""
          + b64(unsigned(r.getModulus(), 256)) + "\",\"e\":\"" + b64(r.getPublicExponent().toByteArray()) + "\"}";
    }
    ECPublicKey e = (ECPublicKey) key;
    return "{\"kty\":\"EC\",\"kid\":\"" + kid + "\",\"crv\":\"P-256\",\"x\":\""
        + b64(unsigned(e.getW().getAffineX(), 32)) + "\",\"y\":\"" + b64(unsigned(e.getW().getAffineY(), 32))
        + "\"}";
  }

  /** A non-negative integer as exactly {@code len} big-endian bytes. */
  static byte[] unsigned(BigInteger v, int len) {
    byte[] b = v.toByteArray();
    if (b.length == len) {
      return b;
    }
    if (b.length == len + 1) {
      return Arrays.copyOfRange(b, 1, b.length);
    }
    byte[] out = new byte[len];
    System.arraycopy(b, 0, out, len - b.length, b.length);
    return out;
  }

  private static KeyPair rsa() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(2048);
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new AssertionError(e);
    }
  }

  private static KeyPair ec() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"));
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new AssertionError(e);
    }
  }
}
