package io.canopy.processor.rules;

import io.canopy.core.ops.TreeReader;
import io.canopy.core.path.Path;
import io.canopy.core.rules.RulesDocument;
import io.canopy.core.rules.RulesNamespace;
import io.canopy.core.rules.RulesParseException;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The compiled rules of each namespace this processor judges writes for, read from the namespace's rules
 * namespace through the same layered view as its data, so a rules update decided a moment ago is already in
 * force for the next write. Valid only while the partitions it was filled from stay owned: the intake loop
 * clears it whenever ownership changes. Consumer thread only.
 */
public final class RulesCache {
  private static final Logger LOG = LoggerFactory.getLogger(RulesCache.class);

  private final RulesDocument fallback;
  private final Map<String, RulesDocument> byNamespace = new HashMap<>();

  /** @param fallback the rules of a namespace that has none of its own */
  public RulesCache(RulesDocument fallback) {
    this.fallback = fallback;
  }

  /** The rules in force for {@code namespace}; {@code readers} opens a reader over any namespace. */
  public RulesDocument rules(String namespace, Function<String, TreeReader> readers) {
    RulesDocument rules = byNamespace.get(namespace);
    if (rules == null) {
      rules = load(namespace, readers.apply(RulesNamespace.of(namespace)));
      byNamespace.put(namespace, rules);
    }
    return rules;
  }

  /** The namespace's rules changed: read them again next time. */
  public void invalidate(String namespace) {
    byNamespace.remove(namespace);
  }

  /** Ownership changed: another processor may have changed any namespace's rules meanwhile. */
  public void clear() {
    byNamespace.clear();
  }

  private RulesDocument load(String namespace, TreeReader reader) {
    try {
      return RulesDocument.fromStored(reader.read(Path.ROOT), fallback);
    } catch (RulesParseException e) {
      // Stored rules were checked before they were accepted; if they still fail, fail closed.
      LOG.error("namespace {}: stored rules do not compile ({}); denying all non-admin writes", namespace,
          e.getMessage());
      return RulesDocument.DENY_ALL;
    }
  }
}
