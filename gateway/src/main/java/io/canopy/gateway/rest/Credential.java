package io.canopy.gateway.rest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.canopy.core.error.CanopyException;
import io.canopy.core.error.ErrorCode;
import io.canopy.core.json.TreeJson;
import java.io.IOException;
import java.util.Base64;
import java.util.Locale;

/**
 * The credential a REST request carries: {@code auth=} (a Firebase ID token, i.e. a JWT, or a legacy database
 * secret or the emulator's {@code owner}), {@code access_token=} or {@code Authorization: Bearer} (a Google OAuth2
 * token). It is parsed, not verified: security rules are not enforced yet, so every request is allowed, like the
 * emulator without a rules file. What Firebase cannot even parse is refused with its 401
 * ({@value #UNPARSABLE}): an empty token, one with characters no token has, or a JWT-shaped {@code auth} whose
 * header or payload is not base64url-encoded JSON.
 *
 * @param kind where the token came from
 * @param token the token as sent; null for {@link Kind#NONE}
 * @param expiresAtMillis the {@code exp} claim of an ID token in epoch milliseconds, or null (streams send
 *     {@code auth_revoked} when it passes)
 */
public record Credential(Kind kind, String token, Long expiresAtMillis) {

  public static final Credential NONE = new Credential(Kind.NONE, null, null);
  static final String UNPARSABLE = "Could not parse auth token.";
  /** Longer than any real token (ID tokens are ~1 KB, custom claims included). */
  private static final int MAX_TOKEN_LENGTH = 16 * 1024;

  public enum Kind {
    /** No credential: an unauthenticated request. */
    NONE,
    /** {@code auth=<JWT>}: a Firebase ID token (or any JWT, e.g. the emulator's unsigned ones). */
    ID_TOKEN,
    /** {@code auth=<secret>}: a legacy database secret, or the emulator's {@code owner}. */
    SECRET,
    /** {@code access_token=} or {@code Authorization: Bearer}: a Google OAuth2 access token. */
    ACCESS_TOKEN
  }

  /**
   * Parses the credential of one request. {@code auth} wins over {@code access_token}, which wins over the
   * header; an {@code Authorization} header of another scheme (e.g. a proxy's Basic) is not ours and is ignored.
   *
   * @throws CanopyException permission_denied (401) for a credential Firebase could not parse
   */
  public static Credential parse(String auth, String accessToken, String authorization) {
    if (auth != null) {
      checkCharacters(auth);
      return auth.indexOf('.') >= 0 ? idToken(auth) : new Credential(Kind.SECRET, auth, null);
    }
    if (accessToken != null) {
      checkCharacters(accessToken);
      return new Credential(Kind.ACCESS_TOKEN, accessToken, null);
    }
    if (authorization != null) {
      String h = authorization.trim();
      int space = h.indexOf(' ');
      String scheme = space < 0 ? h : h.substring(0, space);
      if (scheme.toLowerCase(Locale.ROOT).equals("bearer")) {
        String token = space < 0 ? "" : h.substring(space + 1).trim();
        checkCharacters(token);
        return new Credential(Kind.ACCESS_TOKEN, token, null);
      }
    }
    return NONE;
  }

  /** True if the credential carries an expiry that has passed at {@code nowMillis}. */
  public boolean expiredAt(long nowMillis) {
    return expiresAtMillis != null && expiresAtMillis <= nowMillis;
  }

  private static Credential idToken(String jwt) {
    String[] parts = jwt.split("\\.", -1);
    if (parts.length != 3 || parts[0].isEmpty() || parts[1].isEmpty()) {
      throw unparsable();
    }
    jsonObject(parts[0], null);
    long[] exp = {Long.MIN_VALUE};
    jsonObject(parts[1], exp);
    return new Credential(Kind.ID_TOKEN, jwt, exp[0] == Long.MIN_VALUE ? null : exp[0]);
  }

  /** Decodes one base64url JWT segment and checks it is a JSON object; reads a numeric {@code exp} if asked. */
  private static void jsonObject(String segment, long[] exp) {
    byte[] json;
    try {
      json = Base64.getUrlDecoder().decode(segment);
    } catch (IllegalArgumentException e) {
      throw unparsable();
    }
    try (JsonParser p = TreeJson.factory().createParser(json)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw unparsable();
      }
      JsonToken t;
      while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken v = p.nextToken();
        if (exp != null && name.equals("exp") && v != null && v.isNumeric()) {
          double seconds = p.getDoubleValue();
          exp[0] = seconds >= Long.MAX_VALUE / 1000.0 ? Long.MAX_VALUE : (long) (seconds * 1000);
        } else {
          p.skipChildren();
        }
      }
      if (t != JsonToken.END_OBJECT || p.nextToken() != null) {
        throw unparsable();
      }
    } catch (IOException e) {
      throw unparsable();
    }
  }

  /** Tokens are printable ASCII without spaces (JWTs are base64url and dots; OAuth2 tokens similar). */
  private static void checkCharacters(String token) {
    if (token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) {
      throw unparsable();
    }
    for (int i = 0; i < token.length(); i++) {
      char c = token.charAt(i);
      if (c <= 0x20 || c >= 0x7f) {
        throw unparsable();
      }
    }
  }

  private static CanopyException unparsable() {
    return new CanopyException(ErrorCode.PERMISSION_DENIED, UNPARSABLE);
  }

  @Override
  public String toString() {
    // Never log a token.
    return "Credential[" + kind + (expiresAtMillis == null ? "" : ", exp=" + expiresAtMillis) + "]";
  }
}
