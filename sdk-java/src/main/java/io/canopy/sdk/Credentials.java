package io.canopy.sdk;

import java.util.Objects;

/**
 * Who the client authenticates as. Sent after every (re)connection, before anything else.
 *
 * <ul>
 *   <li>{@link #none()}: unauthenticated (the default);
 *   <li>{@link #admin()}: the administrator credential {@code owner}, which a server in development mode (the
 *       default, like the Firebase emulator) accepts with full access;
 *   <li>{@link #idToken(String)}: a user's ID token (a JWT, for example from an auth provider; unsigned tokens are
 *       accepted in development mode);
 *   <li>{@link #adminToken(String)}: another admin credential, such as a legacy database secret.
 * </ul>
 */
public final class Credentials {
  private static final Credentials NONE = new Credentials(null, null);
  private static final Credentials ADMIN = new Credentials("gauth", "owner");

  private final String action;
  private final String token;

  private Credentials(String action, String token) {
    this.action = action;
    this.token = token;
  }

  /** No credentials: the connection stays unauthenticated. */
  public static Credentials none() {
    return NONE;
  }

  /** The administrator credential ({@code owner}), as the official admin SDKs send to an emulator. */
  public static Credentials admin() {
    return ADMIN;
  }

  /** A user's ID token (a JWT), sent with the {@code auth} action. */
  public static Credentials idToken(String jwt) {
    if (jwt == null || jwt.isBlank()) {
      throw new IllegalArgumentException("The ID token must not be empty");
    }
    return new Credentials("auth", jwt);
  }

  /** An admin token (for example a database secret), sent with the {@code gauth} action. */
  public static Credentials adminToken(String token) {
    if (token == null || token.isBlank()) {
      throw new IllegalArgumentException("The admin token must not be empty");
    }
    return new Credentials("gauth", token);
  }

  /** The protocol action that carries these credentials ({@code auth} or {@code gauth}), or null for none. */
  String action() {
    return action;
  }

  String token() {
    return token;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Credentials c && Objects.equals(action, c.action) && Objects.equals(token, c.token);
  }

  @Override
  public int hashCode() {
    return Objects.hash(action, token);
  }

  @Override
  public String toString() {
    if (action == null) {
      return "Credentials.none()";
    }
    return this == ADMIN || "owner".equals(token) ? "Credentials.admin()" : "Credentials[" + action + ", ***]";
  }
}
