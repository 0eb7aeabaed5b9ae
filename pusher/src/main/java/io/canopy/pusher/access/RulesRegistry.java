package io.canopy.pusher.access;

import io.canopy.core.log.ChangeRecord;
import io.canopy.core.ops.Overwrite;
import io.canopy.core.rules.RulesDocument;
import io.canopy.core.rules.RulesNamespace;
import io.canopy.core.rules.RulesParseException;
import io.canopy.core.tree.Node;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rules in force for each namespace as this gateway sees them: loaded once by a consistent read of the
 * namespace's rules namespace, then replaced by the feed thread as rules updates arrive in log order. Thread-safe.
 */
public final class RulesRegistry {
  private static final Logger LOG = LoggerFactory.getLogger(RulesRegistry.class);

  private final RulesDocument fallback;
  private final Function<String, Node> readRoot;
  private final Map<String, RulesDocument> byNamespace = new ConcurrentHashMap<>();

  /**
   * @param fallback the rules of a namespace without its own
   * @param readRoot a consistent read (store plus unflushed changes) of a namespace's root
   */
  public RulesRegistry(RulesDocument fallback, Function<String, Node> readRoot) {
    this.fallback = fallback;
    this.readRoot = readRoot;
  }

  /** The server's default rules. */
  public RulesDocument fallback() {
    return fallback;
  }

  /** The rules of {@code namespace} if already known, else null (no blocking). */
  public RulesDocument cached(String namespace) {
    return byNamespace.get(namespace);
  }

  /** The rules of {@code namespace}; may block on a store read the first time. */
  public RulesDocument rules(String namespace) {
    RulesDocument r = byNamespace.get(namespace);
    if (r != null) {
      return r;
    }
    RulesDocument loaded = parse(namespace, readRoot.apply(RulesNamespace.of(namespace)));
    // A rules change the feed applied meanwhile is newer than what we read: keep it.
    RulesDocument raced = byNamespace.putIfAbsent(namespace, loaded);
    return raced == null ? loaded : raced;
  }

  /**
   * Applies an accepted change of a rules namespace (feed thread). Returns the namespace whose rules changed, or
   * null if {@code change} is not a rules change.
   */
  public String onChange(ChangeRecord change) {
    if (!change.accepted() || !RulesNamespace.isRules(change.namespace())) {
      return null;
    }
    String owner = RulesNamespace.owner(change.namespace());
    Node root = null;
    for (Overwrite o : change.overwrites()) {
      if (o.path().isRoot()) {
        root = o.value();
      }
    }
    if (root == null) {
      return null; // rules are only ever replaced whole
    }
    byNamespace.put(owner, parse(owner, root));
    return owner;
  }

  private RulesDocument parse(String namespace, Node stored) {
    try {
      return RulesDocument.fromStored(stored, fallback);
    } catch (RulesParseException e) {
      LOG.error("namespace {}: stored rules do not compile ({}); denying all non-admin reads", namespace,
          e.getMessage());
      return RulesDocument.DENY_ALL;
    }
  }

}
