package io.canopy.gateway.auth;

import io.canopy.core.rules.Caller;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Who a verified credential belongs to: an admin (the emulator's {@code owner} or a legacy database secret;
 * security rules are bypassed), or a user, from which the rules' {@code auth} variable is built.
 *
 * @param admin true for an admin credential; then {@code uid}, {@code provider} and {@code expiresAt} are null and
 *     {@code token} is empty
 * @param uid the user id: the {@code sub} claim, else {@code user_id}
 * @param provider {@code firebase.sign_in_provider}, else {@code anonymous} for a {@code provider_id: "anonymous"}
 *     token, else {@code custom}
 * @param token all claims of the token, immutable (nested objects and arrays too), custom claims included
 * @param expiresAt when the credential stops being valid ({@code exp}), or null if it does not expire (admins,
 *     dev-mode unsigned tokens); streams should revoke it then
 */
public record AuthContext(boolean admin, String uid, String provider, Map<String, Object> token,
    Instant expiresAt) {

  /** The admin context: rules are bypassed. */
  public static final AuthContext ADMIN = new AuthContext(true, null, null, Map.of(), null);

  public AuthContext {
    if (admin) {
      if (uid != null || provider != null || expiresAt != null || (token != null && !token.isEmpty())) {
        throw new IllegalArgumentException("auth: an admin context has no uid, provider, claims or expiry");
      }
      token = Map.of();
    } else {
      Objects.requireNonNull(uid, "auth: uid");
      Objects.requireNonNull(provider, "auth: provider");
      token = token == null ? Map.of() : immutableMap(token);
    }
  }

  /** A user context; {@code claims} are copied into an immutable map. */
  public static AuthContext user(String uid, String provider, Map<String, ?> claims, Instant expiresAt) {
    return new AuthContext(false, uid, provider, claims == null ? null : immutableMap(claims), expiresAt);
  }

  /** True if the credential has an expiry that is not after {@code now}. */
  public boolean expiredAt(Instant now) {
    return expiresAt != null && !expiresAt.isAfter(now);
  }

  /**
   * The rules' {@code auth} variable ({@code {uid, provider, token}}) of a user.
   *
   * @throws IllegalStateException for an admin, whose requests bypass rules
   */
  public Map<String, Object> ruleVariable() {
    if (admin) {
      throw new IllegalStateException("auth: an admin bypasses rules and has no auth variable");
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("uid", uid);
    m.put("provider", provider);
    m.put("token", token);
    return Collections.unmodifiableMap(m);
  }

  /** The processor's and pusher's view of this credential: admin, or a user with {@code auth} for the rules. */
  public Caller toCaller() {
    return admin ? Caller.ADMIN
        : Caller.user(new io.canopy.core.rules.AuthContext(uid, provider, withSubject(token)));
  }

  /** The caller of a possibly absent credential: unauthenticated when null. */
  public static Caller callerOf(AuthContext auth) {
    return auth == null ? Caller.ANONYMOUS : auth.toCaller();
  }

  private Map<String, Object> withSubject(Map<String, Object> claims) {
    if (claims.containsKey("sub")) {
      return claims;
    }
    Map<String, Object> m = new LinkedHashMap<>(claims);
    m.put("sub", uid);
    return m;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> immutableMap(Map<String, ?> map) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (Map.Entry<String, ?> e : map.entrySet()) {
      m.put(Objects.requireNonNull(e.getKey(), "auth: claim name"), immutable(e.getValue()));
    }
    return Collections.unmodifiableMap(m);
  }

  @SuppressWarnings("unchecked")
  private static Object immutable(Object v) {
    if (v instanceof Map<?, ?> m) {
      return immutableMap((Map<String, ?>) m);
    }
    if (v instanceof List<?> l) {
      List<Object> copy = new ArrayList<>(l.size());
      for (Object o : l) {
        copy.add(immutable(o));
      }
      return Collections.unmodifiableList(copy);
    }
    return v;
  }

  @Override
  public String toString() {
    // Claims may carry personal data (email, phone): keep them out of logs.
    return admin ? "AuthContext[admin]" : "AuthContext[uid=" + uid + ", provider=" + provider + ", expiresAt="
        + expiresAt + "]";
  }
}
