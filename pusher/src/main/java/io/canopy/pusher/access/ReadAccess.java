package io.canopy.pusher.access;

import io.canopy.core.path.Path;
import io.canopy.core.query.QuerySpec;
import io.canopy.core.rules.Caller;
import io.canopy.core.rules.Decision;
import io.canopy.core.rules.QueryParams;
import io.canopy.core.rules.RulesDocument;
import io.canopy.core.tree.Node;
import java.util.function.BiFunction;

/**
 * Decides reads by the namespace's {@code .read} rules: at listen, get, REST and SSE, and again for open listens
 * when the rules or the caller's credential change. {@code root} and {@code data} in read rules see the current
 * committed state (a consistent read); {@code now} is this server's clock.
 */
public final class ReadAccess {
  private static final Decision ADMIN = new Decision(true, null, "admin");
  private static final Decision OPEN = new Decision(true, "/", ".read granted by /");

  private final RulesRegistry registry;
  private final BiFunction<String, Path, Node> read;

  /** @param read a consistent read of (namespace, path) */
  public ReadAccess(RulesRegistry registry, BiFunction<String, Path, Node> read) {
    this.registry = registry;
    this.read = read;
  }

  public RulesRegistry registry() {
    return registry;
  }

  /** True if the read is certainly allowed without reading anything (admin, or {@code ".read": true} at root). */
  public boolean allowedWithoutLoading(String namespace, Caller caller) {
    if (caller.admin()) {
      return true;
    }
    RulesDocument r = registry.cached(namespace);
    return r != null && r.evaluator().allowsAllReads();
  }

  /** The verdict on reading {@code path} with {@code query}; may block on store reads. */
  public Decision check(String namespace, Path path, QuerySpec query, Caller caller) {
    if (caller.admin()) {
      return ADMIN;
    }
    RulesDocument rules = registry.rules(namespace);
    if (rules.evaluator().allowsAllReads()) {
      return OPEN;
    }
    return rules.evaluator().canRead(path, p -> read.apply(namespace, p), caller.user(), QueryParams.of(query),
        System.currentTimeMillis());
  }
}
