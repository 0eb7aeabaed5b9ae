package io.canopy.core.tree;

import java.util.function.BiConsumer;

/** The absent node: JSON null, and what empty objects become. */
public final class EmptyNode implements Node {
  static final EmptyNode INSTANCE = new EmptyNode();

  private EmptyNode() {}

  @Override
  public boolean isEmpty() {
    return true;
  }

  @Override
  public boolean isLeaf() {
    return false;
  }

  @Override
  public Object priority() {
    return null;
  }

  @Override
  public Node withPriority(Object priority) {
    return this;
  }

  @Override
  public Node child(String key) {
    return this;
  }

  @Override
  public int childCount() {
    return 0;
  }

  @Override
  public void forEachChild(BiConsumer<String, Node> visitor) {}

  @Override
  public Node withChild(String key, Node value) {
    if (value.isEmpty() || io.canopy.core.path.Path.PRIORITY_KEY.equals(key)) {
      return this;
    }
    return ChildrenNode.of(key, value);
  }

  @Override
  public String toString() {
    return "null";
  }
}
