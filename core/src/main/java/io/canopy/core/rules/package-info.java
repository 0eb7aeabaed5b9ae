/**
 * Firebase security rules: {@link io.canopy.core.rules.RulesParser} compiles a rules document (JSON with comments)
 * into an immutable {@link io.canopy.core.rules.RuleSet} whose expressions are parsed once into an AST by a
 * hand-written lexer and Pratt parser, and {@link io.canopy.core.rules.RulesEvaluator} answers read, write and
 * multi-path update checks against immutable trees with Firebase's semantics (grant-only cascade, rules are not
 * filters, non-cascading {@code .validate}, evaluation errors deny). Everything here is pure and thread-safe: no
 * I/O, no clocks (callers pass {@code now}), no auth verification; who enforces the verdicts, and what the default
 * is when no rules document exists, is decided by the callers.
 */
package io.canopy.core.rules;
