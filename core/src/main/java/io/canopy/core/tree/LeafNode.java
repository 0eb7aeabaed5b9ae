package io.canopy.core.tree;

import io.canopy.core.error.CanopyException;
import io.canopy.core.path.Path;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * A leaf: a String, a Boolean or a number (always a Double: Firebase keeps JavaScript's number semantics), or a
 * {@link ServerValue} placeholder in unresolved write data.
 */
public final class LeafNode implements Node {
  private final Object value;
  private final Object priority;

  private LeafNode(Object value, Object priority) {
    this.value = value;
    this.priority = priority;
  }

  public static LeafNode of(Object value) {
    return of(value, null);
  }

  public static LeafNode of(Object value, Object priority) {
    return new LeafNode(checkValue(value), PriorityValues.check(priority));
  }

  private static Object checkValue(Object v) {
    if (v instanceof String || v instanceof Boolean || v instanceof ServerValue) {
      return v;
    }
    if (v instanceof Number n) {
      double d = n.doubleValue();
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        throw CanopyException.invalidData("Numbers must be finite (NaN and Infinity are not allowed)");
      }
      return d == 0 ? 0.0 : d; // -0 is 0, as JSON.stringify prints it

    }
    throw CanopyException.invalidData("Invalid leaf value: " + (v == null ? "null" : v.getClass().getSimpleName()));
  }

  /** String, Boolean, Double or ServerValue. */
  public Object value() {
    return value;
  }

  @Override
  public boolean isEmpty() {
    return false;
  }

  @Override
  public boolean isLeaf() {
    return true;
  }

  @Override
  public Object priority() {
    return priority;
  }

  @Override
  public Node withPriority(Object p) {
    return Objects.equals(p, priority) ? this : new LeafNode(value, PriorityValues.check(p));
  }

  @Override
  public Node child(String key) {
    if (Path.PRIORITY_KEY.equals(key)) {
      return priority == null ? Node.empty() : LeafNode.of(priority);
    }
    return Node.empty();
  }

  @Override
  public int childCount() {
    return 0;
  }

  @Override
  public void forEachChild(BiConsumer<String, Node> visitor) {}

  @Override
  public Node withChild(String key, Node child) {
    if (Path.PRIORITY_KEY.equals(key)) {
      return withPriority(PriorityValues.fromNode(child));
    }
    if (child.isEmpty()) {
      return this;
    }
    // Writing below a leaf replaces it with an object that keeps the leaf's priority.
    return ChildrenNode.of(key, child).withPriority(priority);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LeafNode l && value.equals(l.value) && Objects.equals(priority, l.priority);
  }

  @Override
  public int hashCode() {
    return value.hashCode() * 31 + Objects.hashCode(priority);
  }

  @Override
  public String toString() {
    return priority == null ? String.valueOf(value) : value + " (priority " + priority + ")";
  }
}
