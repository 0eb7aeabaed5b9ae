package io.canopy.store.support;

import io.canopy.core.rules.RulesNamespace;

/**
 * The namespace naming rule every store enforces: 1 to {@value #MAX_LENGTH} characters out of {@code a-z},
 * {@code 0-9} and {@code -}. The rule keeps names safe as MongoDB database names (with a prefix) and free of
 * the separator bytes of the RocksDB key encoding.
 */
public final class Namespaces {
  public static final int MAX_LENGTH = 50; // "<projectId>-default-rtdb" is up to 43

  private Namespaces() {}

  /**
   * Returns {@code namespace} if it is valid, else throws {@link IllegalArgumentException} saying why. The rules
   * namespace of a valid namespace ({@link RulesNamespace}) is valid too.
   */
  public static String validate(String namespace) {
    if (namespace == null) {
      throw new IllegalArgumentException("namespace must not be null");
    }
    if (RulesNamespace.isRules(namespace)) {
      validateClient(RulesNamespace.owner(namespace));
      return namespace;
    }
    return validateClient(namespace);
  }

  private static String validateClient(String namespace) {
    if (namespace.isEmpty() || namespace.length() > MAX_LENGTH) {
      throw new IllegalArgumentException(
          "invalid namespace \"" + abbreviate(namespace) + "\": must be 1 to " + MAX_LENGTH + " characters long");
    }
    for (int i = 0; i < namespace.length(); i++) {
      char c = namespace.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
        throw new IllegalArgumentException(
            "invalid namespace \"" + abbreviate(namespace) + "\": only a-z, 0-9 and '-' are allowed");
      }
    }
    return namespace;
  }

  private static String abbreviate(String s) {
    return s.length() > 60 ? s.substring(0, 57) + "..." : s;
  }
}
