package io.canopy.core.rules;

import java.util.Objects;

/**
 * Who made a request, as the rules judge it: an admin (rules bypassed), an authenticated user (the rules'
 * {@code auth} variable) or an unauthenticated client ({@code auth == null}). Travels with every write record,
 * so the processor judges a write by its author whatever gateway accepted it.
 *
 * @param admin true for an admin credential
 * @param user the user's context, or null for admins and unauthenticated clients
 */
public record Caller(boolean admin, AuthContext user) {
  /** Rules are bypassed. */
  public static final Caller ADMIN = new Caller(true, null);
  /** Not signed in: the rules see {@code auth == null}. */
  public static final Caller ANONYMOUS = new Caller(false, null);

  public Caller {
    if (admin && user != null) {
      throw new IllegalArgumentException("an admin caller has no user context");
    }
  }

  /** A signed-in user. */
  public static Caller user(AuthContext user) {
    return new Caller(false, Objects.requireNonNull(user, "user"));
  }

  @Override
  public String toString() {
    // Claims may carry personal data: keep them out of logs.
    return admin ? "Caller[admin]" : user == null ? "Caller[anonymous]" : "Caller[uid=" + user.uid() + "]";
  }
}
