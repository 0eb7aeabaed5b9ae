package io.canopy.core.rules;

import io.canopy.core.tree.LeafNode;
import io.canopy.core.tree.Node;
import java.util.Objects;

/**
 * A namespace's security rules: the document as its author wrote it (served back by
 * {@code GET /.settings/rules.json}) and its compiled form. Immutable.
 *
 * @param source the rules JSON text
 * @param evaluator the compiled rules
 */
public record RulesDocument(String source, RulesEvaluator evaluator) {
  /** Everything allowed: the emulator's behaviour without a rules file, and the dev-mode default. */
  public static final RulesDocument ALLOW_ALL = parse("{\n  \"rules\": {\n    \".read\": true,\n"
      + "    \".write\": true\n  }\n}\n");
  /** Nothing allowed except to admins. */
  public static final RulesDocument DENY_ALL = parse("{\n  \"rules\": {\n    \".read\": false,\n"
      + "    \".write\": false\n  }\n}\n");

  public RulesDocument {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(evaluator, "evaluator");
  }

  /**
   * Compiles a rules document.
   *
   * @throws RulesParseException with the line and column of the first problem
   */
  public static RulesDocument parse(String source) {
    return new RulesDocument(source, new RulesEvaluator(RulesParser.parse(source)));
  }

  /**
   * The rules stored at the root of a rules namespace ({@link RulesNamespace}): a string leaf, or nothing (then
   * {@code fallback}, the server's configured default).
   *
   * @throws RulesParseException if the stored text does not parse (it was checked before it was stored)
   */
  public static RulesDocument fromStored(Node root, RulesDocument fallback) {
    if (root.isEmpty()) {
      return fallback;
    }
    if (root instanceof LeafNode leaf && leaf.value() instanceof String text) {
      return parse(text);
    }
    throw new RulesParseException("stored rules are not a string", 1, 1);
  }

  /** The value a rules namespace's root holds for this document. */
  public Node toStored() {
    return LeafNode.of(source);
  }
}
