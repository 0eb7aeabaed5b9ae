package io.canopy.core.rules;

import io.canopy.core.path.Path;
import io.canopy.core.tree.LeafNode;
import io.canopy.core.tree.Node;
import io.canopy.core.tree.ServerValue;
import java.util.ArrayList;
import java.util.List;

/**
 * The rules language's RuleDataSnapshot: a location in one tree (the tree before or after the write, read lazily),
 * so {@code parent()} and {@code child()} can move freely.
 */
record RuleSnapshot(TreeSource tree, Path path) {

  RuleSnapshot(Node root, Path path) {
    this(TreeSource.of(root), path);
  }

  /** The sentinel {@code val()} returns for a node with children: it equals nothing and supports no operator. */
  enum ObjectValue { INSTANCE;
    @Override
    public String toString() {
      return "[object]";
    }
  }

  Node node() {
    return tree.read(path);
  }

  boolean exists() {
    return !node().isEmpty();
  }

  Object val() {
    Node n = node();
    if (n.isEmpty()) {
      return null;
    }
    if (n instanceof LeafNode leaf) {
      if (leaf.value() instanceof ServerValue) {
        throw new EvaluationException("val() on an unresolved server value");
      }
      return leaf.value();
    }
    return ObjectValue.INSTANCE;
  }

  Object priority() {
    Object p = node().priority();
    return p instanceof ServerValue ? null : p;
  }

  RuleSnapshot parent() {
    if (path.isRoot()) {
      throw new EvaluationException("parent() of the root");
    }
    return new RuleSnapshot(tree, path.parent());
  }

  RuleSnapshot child(String rel) {
    Path p = path;
    for (String key : splitPath(rel)) {
      p = p.child(key);
    }
    return new RuleSnapshot(tree, p);
  }

  boolean hasChildren() {
    Node n = node();
    return !n.isEmpty() && !n.isLeaf();
  }

  static List<String> splitPath(String rel) {
    List<String> keys = new ArrayList<>();
    for (String k : rel.split("/")) {
      if (!k.isEmpty()) {
        String problem = Path.keyProblem(k);
        if (problem != null) {
          throw new EvaluationException("invalid child path '" + rel + "': " + problem);
        }
        keys.add(k);
      }
    }
    if (keys.isEmpty()) {
      throw new EvaluationException("invalid child path '" + rel + "'");
    }
    return keys;
  }

  @Override
  public String toString() {
    return "RuleDataSnapshot(" + path + ")";
  }
}
