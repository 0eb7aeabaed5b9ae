package io.canopy.core.rules;

import java.util.List;
import java.util.Map;

/**
 * One level of a compiled rules tree: the rules at this level, its literal children and at most one
 * {@code $wildcard} child, which matches every key not named as a literal. The root level is what
 * {@link RulesParser#parse} returns. Immutable and thread-safe.
 */
public final class RuleSet {
  private static final RuleSet ALLOW_ALL = new RuleSet("/", Rule.TRUE, Rule.TRUE, null, List.of(), Map.of(), null,
      null);
  private static final RuleSet DENY_ALL = new RuleSet("/", Rule.FALSE, Rule.FALSE, null, List.of(), Map.of(),
      null, null);

  private final String path;
  private final Rule read;
  private final Rule write;
  private final Rule validate;
  private final List<String> indexOn;
  private final Map<String, RuleSet> children;
  private final String wildcard;
  private final RuleSet wildcardChild;
  private final boolean validateBelow;

  RuleSet(String path, Rule read, Rule write, Rule validate, List<String> indexOn, Map<String, RuleSet> children,
      String wildcard, RuleSet wildcardChild) {
    this.path = path;
    this.read = read;
    this.write = write;
    this.validate = validate;
    this.indexOn = List.copyOf(indexOn);
    this.children = Map.copyOf(children);
    this.wildcard = wildcard;
    this.wildcardChild = wildcardChild;
    boolean below = validate != null || (wildcardChild != null && wildcardChild.validateBelow);
    for (RuleSet c : this.children.values()) {
      below |= c.validateBelow;
    }
    this.validateBelow = below;
  }

  /** {@code {"rules": {".read": true, ".write": true}}}. */
  public static RuleSet allowAll() {
    return ALLOW_ALL;
  }

  /** {@code {"rules": {".read": false, ".write": false}}}. */
  public static RuleSet denyAll() {
    return DENY_ALL;
  }

  /** This level's location in the rules, e.g. {@code /users/$uid} ({@code /} at the root). */
  public String path() {
    return path;
  }

  /** The {@code .read} rule, or null. */
  public Rule read() {
    return read;
  }

  /** The {@code .write} rule, or null. */
  public Rule write() {
    return write;
  }

  /** The {@code .validate} rule, or null. */
  public Rule validate() {
    return validate;
  }

  /** The {@code .indexOn} keys declared at this level (possibly {@code ".value"}); empty if none. */
  public List<String> indexOn() {
    return indexOn;
  }

  /** The literal children. */
  public Map<String, RuleSet> children() {
    return children;
  }

  /** The wildcard's name including {@code $}, or null. */
  public String wildcard() {
    return wildcard;
  }

  /** The wildcard's rules, or null. */
  public RuleSet wildcardChild() {
    return wildcardChild;
  }

  /** The rules for child {@code key}: the literal child, else the wildcard, else null. */
  public RuleSet child(String key) {
    RuleSet c = children.get(key);
    return c != null ? c : wildcardChild;
  }

  /** True if {@code key} is captured by this level's wildcard (it names no literal child). */
  boolean capturedByWildcard(String key) {
    return wildcardChild != null && !children.containsKey(key);
  }

  /** True if this level or any level below declares {@code .validate}. */
  boolean hasValidateBelow() {
    return validateBelow;
  }

  @Override
  public String toString() {
    return "RuleSet(" + path + ")";
  }
}
