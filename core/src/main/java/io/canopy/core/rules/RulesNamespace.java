package io.canopy.core.rules;

/**
 * Where a namespace's security rules live: a companion system namespace {@code _rules-<namespace>} whose root is
 * the rules document (a string). It shares its owner's write-log partition (see
 * {@link io.canopy.core.log.Partitions}), so a rules update is ordered with the owner's writes and every write is
 * judged by the rules in force at its position in the log. Clients cannot address it: client namespaces never
 * contain {@code _}.
 */
public final class RulesNamespace {
  public static final String PREFIX = "_rules-";

  private RulesNamespace() {}

  /** The rules namespace of {@code namespace}. */
  public static String of(String namespace) {
    return PREFIX + namespace;
  }

  /** True if {@code namespace} holds some namespace's rules. */
  public static boolean isRules(String namespace) {
    return namespace.startsWith(PREFIX);
  }

  /** The namespace whose rules {@code rulesNamespace} holds. */
  public static String owner(String rulesNamespace) {
    if (!isRules(rulesNamespace)) {
      throw new IllegalArgumentException("not a rules namespace: " + rulesNamespace);
    }
    return rulesNamespace.substring(PREFIX.length());
  }
}
