package io.canopy.core.rules;

import io.canopy.core.path.Path;
import io.canopy.core.tree.Node;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Evaluates a {@link RuleSet} with Firebase's semantics. Pure and thread-safe: every method takes the trees it
 * needs and returns a {@link Decision}; rule evaluation errors count as false and never escape.
 *
 * <p><b>Reads.</b> {@code .read} rules are evaluated from the root down to the read path; the first that is true
 * grants the read of the whole subtree. Rules are not filters: grants below the read path are never consulted.
 *
 * <p><b>Writes.</b> A write at {@code w} (absolute path; a trailing {@code .priority} is checked at its parent)
 * is permitted when either
 * <ol>
 *   <li>a {@code .write} rule at {@code w} or one of its ancestors evaluates true (first grant wins; a deeper
 *       {@code false} cannot revoke it), or
 *   <li>the data at {@code w} actually changes and the change is fully covered by deeper grants: the node at
 *       {@code w} keeps its own value (it is not a leaf before or after, and its priority is unchanged), and for
 *       every child whose subtree differs between the old and new tree, that child's {@code .write} is true or,
 *       recursively, the same condition holds at that child. A changed child with no rules at all denies.
 * </ol>
 * This is Firebase's "evaluate the write at each changed location". A write that changes nothing needs a grant
 * at or above {@code w}.
 *
 * <p><b>Validation.</b> Once every written path is permitted, {@code .validate} must hold at every node touched by
 * the write: each written path and every node below it in the new tree, plus the ancestors of each written path
 * (production checks ancestors' {@code .validate} against the merged post-write tree). Validation does not
 * cascade and never grants; nodes that do not exist in the new tree (deletes) are skipped. {@code data} and
 * {@code newData} are the rule's own location in the old and the new tree; {@code root} is the old tree.
 */
public final class RulesEvaluator {
  private final RuleSet rules;

  public RulesEvaluator(RuleSet rules) {
    this.rules = Objects.requireNonNull(rules, "rules");
  }

  public RuleSet rules() {
    return rules;
  }

  /** True if every read is granted at the root ({@code ".read": true}), so reads need no evaluation. */
  public boolean allowsAllReads() {
    return rules.read() == Rule.TRUE;
  }

  /**
   * True if every write is granted at the root and nothing is validated ({@code ".write": true} and no
   * {@code .validate} anywhere), so writes need no evaluation.
   */
  public boolean allowsAllWrites() {
    return rules.write() == Rule.TRUE && !rules.hasValidateBelow();
  }

  /**
   * May {@code auth} read {@code path} (with {@code query}, or {@link QueryParams#NONE}) in tree {@code root}
   * at server time {@code now} (ms)?
   */
  public Decision canRead(Path path, Node root, AuthContext auth, QueryParams query, long now) {
    return canRead(path, TreeSource.of(root), auth, query, now);
  }

  /** {@link #canRead(Path, Node, AuthContext, QueryParams, long)} over a lazily read tree. */
  public Decision canRead(Path path, TreeSource root, AuthContext auth, QueryParams query, long now) {
    Path target = ruleTarget(path);
    Context ctx = new Context(root.memoized(), null, AuthContext.ruleValue(auth),
        (query == null ? QueryParams.NONE : query).toRuleValue(), now);
    return cascade(target, ctx, true);
  }

  /** May {@code auth} write at {@code path}, turning {@code root} into {@code newRoot}? */
  public Decision canWrite(Path path, Node root, Node newRoot, AuthContext auth, long now) {
    return canUpdate(path, List.of(Path.ROOT), root, newRoot, auth, now);
  }

  /**
   * May {@code auth} apply a multi-path update atomically? {@code writtenPaths} are relative to {@code base} (the
   * update's keys, possibly nested); {@code newRoot} is the tree after the whole update. Allowed only if every
   * written path is permitted and validation passes on the merged result; the first failure denies all of it.
   */
  public Decision canUpdate(Path base, List<Path> writtenPaths, Node root, Node newRoot, AuthContext auth,
      long now) {
    return canUpdate(base, writtenPaths, TreeSource.of(root), TreeSource.of(newRoot), auth, now);
  }

  /**
   * {@link #canUpdate(Path, List, Node, Node, AuthContext, long)} over lazily read trees: {@code root} before and
   * {@code newRoot} after the whole update.
   */
  public Decision canUpdate(Path base, List<Path> writtenPaths, TreeSource root, TreeSource newRoot,
      AuthContext auth, long now) {
    Context ctx = new Context(root.memoized(), newRoot.memoized(), AuthContext.ruleValue(auth), QueryParams.NONE.toRuleValue(), now);
    Set<Path> targets = new LinkedHashSet<>();
    for (Path rel : writtenPaths) {
      targets.add(ruleTarget(base.child(rel)));
    }
    if (targets.isEmpty()) {
      return Decision.denied(null, "Empty update");
    }
    List<String> grants = new ArrayList<>();
    for (Path w : targets) {
      Decision d = writeAllowed(w, ctx);
      if (!d.allowed()) {
        return d;
      }
      grants.add(d.rulePath());
    }
    Decision v = validate(targets, ctx);
    if (!v.allowed()) {
      return v;
    }
    String by = String.join(", ", new LinkedHashSet<>(grants));
    return Decision.granted(by, ".write granted by " + by);
  }

  /** The {@code .indexOn} keys declared at {@code path} (wildcards match); empty if none. */
  public List<String> indexOn(Path path) {
    RuleSet level = rules;
    for (String key : ruleTarget(path)) {
      level = level.child(key);
      if (level == null) {
        return List.of();
      }
    }
    return level.indexOn();
  }

  // ---- internals ----

  /** Immutable per-operation inputs. */
  private record Context(TreeSource root, TreeSource newRoot, Object auth, Object query, long now) {
    Interpreter.Env env(Path at, Map<String, String> vars) {
      return new Interpreter.Env(new RuleSnapshot(root, Path.ROOT), new RuleSnapshot(root, at),
          newRoot == null ? null : new RuleSnapshot(newRoot, at), auth, query, (double) now, vars);
    }
  }

  private static Path ruleTarget(Path path) {
    return path.isPriorityPath() ? path.parent() : path;
  }

  private static Map<String, String> capture(RuleSet level, String key, Map<String, String> vars) {
    if (!level.capturedByWildcard(key)) {
      return vars;
    }
    Map<String, String> m = new HashMap<>(vars);
    m.put(level.wildcard(), key);
    return Map.copyOf(m);
  }

  /** The grant-only cascade of {@code .read} (or {@code .write}) from the root down to {@code target}. */
  private Decision cascade(Path target, Context ctx, boolean read) {
    String type = read ? ".read" : ".write";
    RuleSet level = rules;
    Map<String, String> vars = Map.of();
    Path at = Path.ROOT;
    List<String> errors = new ArrayList<>();
    for (int depth = 0; ; depth++) {
      Rule rule = read ? level.read() : level.write();
      if (rule != null) {
        Rule.Result r = rule.test(ctx.env(at, vars));
        if (r.value()) {
          return Decision.granted(level.path(), type + " granted by " + level.path());
        }
        if (r.error() != null) {
          errors.add(level.path() + ": " + r.error());
        }
      }
      if (depth == target.size()) {
        break;
      }
      String key = target.get(depth);
      vars = capture(level, key, vars);
      level = level.child(key);
      at = at.child(key);
      if (level == null) {
        break;
      }
    }
    return Decision.denied(null, "No " + type + " rule granted access to " + target + errorSuffix(errors));
  }

  private static String errorSuffix(List<String> errors) {
    return errors.isEmpty() ? "" : " (evaluation errors: " + String.join("; ", errors) + ")";
  }

  private Decision writeAllowed(Path w, Context ctx) {
    Decision cascaded = cascade(w, ctx, false);
    if (cascaded.allowed()) {
      return cascaded;
    }
    Node before = ctx.root().read(w);
    Node after = ctx.newRoot().read(w);
    if (before.equals(after)) {
      return cascaded;
    }
    // Locate the rules level (and captured variables) at w.
    RuleSet level = rules;
    Map<String, String> vars = Map.of();
    for (String key : w) {
      vars = capture(level, key, vars);
      level = level.child(key);
      if (level == null) {
        return cascaded;
      }
    }
    List<String> grants = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    if (coveredBelow(level, w, vars, ctx, grants, errors)) {
      String by = String.join(", ", grants);
      return Decision.granted(by, ".write granted below " + w + " by " + by);
    }
    return Decision.denied(null, "No .write rule granted access to " + w + errorSuffix(errors));
  }

  /** True if every change below {@code p} is granted by a {@code .write} at or above the changed child. */
  private boolean coveredBelow(RuleSet level, Path p, Map<String, String> vars, Context ctx, List<String> grants,
      List<String> errors) {
    Node before = ctx.root().read(p);
    Node after = ctx.newRoot().read(p);
    if (before.isLeaf() || after.isLeaf() || !Objects.equals(before.priority(), after.priority())) {
      return false; // the node's own value changes: only a grant at p or above covers that
    }
    Set<String> keys = new LinkedHashSet<>();
    before.forEachChild((k, v) -> keys.add(k));
    after.forEachChild((k, v) -> keys.add(k));
    for (String key : keys) {
      if (before.child(key).equals(after.child(key))) {
        continue;
      }
      RuleSet childLevel = level.child(key);
      if (childLevel == null) {
        return false;
      }
      Map<String, String> childVars = capture(level, key, vars);
      Path cp = p.child(key);
      Rule write = childLevel.write();
      if (write != null) {
        Rule.Result r = write.test(ctx.env(cp, childVars));
        if (r.value()) {
          grants.add(childLevel.path());
          continue;
        }
        if (r.error() != null) {
          errors.add(childLevel.path() + ": " + r.error());
        }
      }
      if (!coveredBelow(childLevel, cp, childVars, ctx, grants, errors)) {
        return false;
      }
    }
    return true;
  }

  private Decision validate(Set<Path> targets, Context ctx) {
    // Ancestors of every written path (strictly above it), each checked once.
    Map<Path, Object[]> ancestors = new LinkedHashMap<>();
    for (Path w : targets) {
      RuleSet level = rules;
      Map<String, String> vars = Map.of();
      Path at = Path.ROOT;
      for (String key : w) {
        ancestors.putIfAbsent(at, new Object[] {level, vars});
        vars = capture(level, key, vars);
        level = level.child(key);
        at = at.child(key);
        if (level == null) {
          break;
        }
      }
    }
    for (Map.Entry<Path, Object[]> e : ancestors.entrySet()) {
      if (targets.contains(e.getKey())) {
        continue; // also a written path: validated below as part of its subtree
      }
      @SuppressWarnings("unchecked")
      Decision d = validateNode((RuleSet) e.getValue()[0], e.getKey(), (Map<String, String>) e.getValue()[1], ctx);
      if (d != null) {
        return d;
      }
    }
    for (Path w : targets) {
      RuleSet level = rules;
      Map<String, String> vars = Map.of();
      for (String key : w) {
        vars = capture(level, key, vars);
        level = level.child(key);
        if (level == null) {
          break;
        }
      }
      Decision d = validateSubtree(level, w, vars, ctx);
      if (d != null) {
        return d;
      }
    }
    return Decision.granted(null, "validated");
  }

  /** Null if {@code .validate} at {@code p} passes or does not apply, else the denial. */
  private static Decision validateNode(RuleSet level, Path p, Map<String, String> vars, Context ctx) {
    if (level.validate() == null || ctx.newRoot().read(p).isEmpty()) {
      return null;
    }
    Rule.Result r = level.validate().test(ctx.env(p, vars));
    if (r.value()) {
      return null;
    }
    return Decision.denied(level.path(), ".validate at " + level.path() + " failed for " + p
        + (r.error() == null ? "" : " (evaluation error: " + r.error() + ")"));
  }

  private static Decision validateSubtree(RuleSet level, Path p, Map<String, String> vars, Context ctx) {
    if (level == null || !level.hasValidateBelow()) {
      return null;
    }
    Node node = ctx.newRoot().read(p);
    if (node.isEmpty()) {
      return null;
    }
    Decision d = validateNode(level, p, vars, ctx);
    if (d != null) {
      return d;
    }
    for (Map.Entry<String, RuleSet> c : level.children().entrySet()) {
      if (!node.child(c.getKey()).isEmpty()) {
        d = validateSubtree(c.getValue(), p.child(c.getKey()), vars, ctx);
        if (d != null) {
          return d;
        }
      }
    }
    if (level.wildcardChild() != null && level.wildcardChild().hasValidateBelow()) {
      Decision[] found = new Decision[1];
      node.forEachChild((key, child) -> {
        if (found[0] == null && level.capturedByWildcard(key)) {
          found[0] = validateSubtree(level.wildcardChild(), p.child(key), capture(level, key, vars), ctx);
        }
      });
      return found[0];
    }
    return null;
  }
}
