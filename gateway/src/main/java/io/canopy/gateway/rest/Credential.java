package io.canopy.gateway.rest;

import io.canopy.core.error.CanopyException;
import io.canopy.core.error.ErrorCode;
import io.canopy.gateway.auth.AuthContext;
import io.canopy.gateway.auth.AuthResult;
import io.canopy.gateway.auth.TokenVerifier;
import java.util.Locale;

/**
 * The credential a REST request carries: {@code auth=} (a Firebase ID token, i.e. a JWT, or a legacy database
 * secret or the emulator's {@code owner}), {@code access_token=} or {@code Authorization: Bearer}. {@link #parse}
 * only extracts it (refusing what no token could be: empty, too long, or with characters no token has);
 * {@link #verify} checks it with the gateway's {@link TokenVerifier} and refuses a bad one with Firebase's 401
 * ({@value #UNPARSABLE} or {@value #EXPIRED}). Security rules are not enforced yet: a verified credential allows
 * everything, like no credential at all.
 *
 * @param kind where the token came from
 * @param token the token as sent; null for {@link Kind#NONE}
 * @param context who the verified token belongs to; null before {@link #verify} and for {@link Kind#NONE}
 */
public record Credential(Kind kind, String token, AuthContext context) {

  public static final Credential NONE = new Credential(Kind.NONE, null, null);
  static final String UNPARSABLE = "Could not parse auth token.";
  /** Firebase's REST wording: no final period, unlike the WebSocket reply's. */
  static final String EXPIRED = "Auth token is expired";
  /** Longer than any real token (ID tokens are ~1 KB, custom claims included). */
  private static final int MAX_TOKEN_LENGTH = TokenVerifier.MAX_CREDENTIAL_LENGTH;

  public enum Kind {
    /** No credential: an unauthenticated request. */
    NONE,
    /** {@code auth=<JWT>}: a Firebase ID token (or any JWT, e.g. the emulator's unsigned ones). */
    ID_TOKEN,
    /** {@code auth=<secret>}: a legacy database secret, or the emulator's {@code owner}. */
    SECRET,
    /** {@code access_token=} or {@code Authorization: Bearer}. */
    ACCESS_TOKEN
  }

  /**
   * Extracts the credential of one request. {@code auth} wins over {@code access_token}, which wins over the
   * header; an {@code Authorization} header of another scheme (e.g. a proxy's Basic) is not ours and is ignored.
   *
   * @throws CanopyException permission_denied (401) for a credential that cannot be a token
   */
  public static Credential parse(String auth, String accessToken, String authorization) {
    if (auth != null) {
      checkCharacters(auth);
      return new Credential(auth.indexOf('.') >= 0 ? Kind.ID_TOKEN : Kind.SECRET, auth, null);
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

  /**
   * This credential verified: a copy carrying its {@link AuthContext}. {@link #NONE} stays as it is.
   *
   * @throws CanopyException permission_denied (401) with {@value #UNPARSABLE} or {@value #EXPIRED}
   */
  public Credential verify(TokenVerifier verifier) {
    if (kind == Kind.NONE) {
      return this;
    }
    AuthResult result = verifier.verify(token);
    if (result instanceof AuthResult.Ok ok) {
      return new Credential(kind, token, ok.context());
    }
    AuthResult.Failed failed = (AuthResult.Failed) result;
    throw new CanopyException(ErrorCode.PERMISSION_DENIED,
        failed.status() == AuthResult.Status.EXPIRED_TOKEN ? EXPIRED : UNPARSABLE);
  }

  /** When the verified credential expires, in epoch milliseconds; null if it does not or is not verified. */
  public Long expiresAtMillis() {
    return context == null || context.expiresAt() == null ? null : context.expiresAt().toEpochMilli();
  }

  /** True if the credential carries an expiry that has passed at {@code nowMillis}. */
  public boolean expiredAt(long nowMillis) {
    Long exp = expiresAtMillis();
    return exp != null && exp <= nowMillis;
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
    return "Credential[" + kind + (context == null ? "" : ", " + context) + "]";
  }
}
