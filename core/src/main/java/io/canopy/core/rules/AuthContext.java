package io.canopy.core.rules;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Who is asking, as the rules' {@code auth} variable sees it: {@code uid}, {@code provider} and the token claims.
 * An unauthenticated caller is represented by a null {@code AuthContext}. Claims are deep-copied into unmodifiable
 * maps and lists with numbers as Double, so the record is immutable.
 *
 * @param uid the user id (required)
 * @param provider the sign-in provider ({@code password}, {@code anonymous}, {@code custom}, ...), may be null
 * @param token the decoded token claims (email, email_verified, firebase.sign_in_provider, custom claims, ...)
 */
public record AuthContext(String uid, String provider, Map<String, Object> token) {

  public AuthContext {
    Objects.requireNonNull(uid, "uid");
    token = token == null ? Map.of() : copyMap(token);
  }

  /** A user with a uid and no other claims (provider {@code custom}). */
  public static AuthContext of(String uid) {
    return new AuthContext(uid, "custom", Map.of());
  }

  /** {@code {uid, provider, token}} as the rules see it; claims without {@code sub} get {@code sub = uid}. */
  public Map<String, Object> toRuleValue() {
    Map<String, Object> tok = new LinkedHashMap<>(token);
    tok.putIfAbsent("sub", uid);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("uid", uid);
    m.put("provider", provider);
    m.put("token", Collections.unmodifiableMap(tok));
    return Collections.unmodifiableMap(m);
  }

  /** The rule value of a possibly absent context: null when unauthenticated. */
  static Object ruleValue(AuthContext auth) {
    return auth == null ? null : auth.toRuleValue();
  }

  private static Map<String, Object> copyMap(Map<?, ?> in) {
    Map<String, Object> out = new LinkedHashMap<>();
    in.forEach((k, v) -> out.put(String.valueOf(k), copy(v)));
    return Collections.unmodifiableMap(out);
  }

  private static Object copy(Object v) {
    if (v == null || v instanceof String || v instanceof Boolean) {
      return v;
    }
    if (v instanceof Number n) {
      return n.doubleValue();
    }
    if (v instanceof Map<?, ?> m) {
      return copyMap(m);
    }
    if (v instanceof List<?> l) {
      List<Object> out = new ArrayList<>(l.size());
      l.forEach(x -> out.add(copy(x)));
      return Collections.unmodifiableList(out);
    }
    throw new IllegalArgumentException("Unsupported claim value type: " + v.getClass().getName());
  }
}
