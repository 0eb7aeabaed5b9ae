package io.canopy.core.tree;

import io.canopy.core.path.KeyOrder;
import io.canopy.core.path.Path;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * An object node: at least one non-empty child, held in sorted arrays (Firebase key order), plus an optional
 * priority. Lookups are binary searches; an update copies the arrays (O(children)), which keeps reads and
 * iteration cheap and allocation-light for the common small objects.
 */
public final class ChildrenNode implements Node {
  private final String[] keys;
  private final Node[] children;
  private final Object priority;

  private ChildrenNode(String[] keys, Node[] children, Object priority) {
    this.keys = keys;
    this.children = children;
    this.priority = priority;
  }

  static ChildrenNode of(String key, Node child) {
    Path.validateKey(key);
    return new ChildrenNode(new String[] {key}, new Node[] {child}, null);
  }

  /** Starts a builder; keys may be added in any order, empty children are skipped. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public boolean isEmpty() {
    return false;
  }

  @Override
  public boolean isLeaf() {
    return false;
  }

  @Override
  public Object priority() {
    return priority;
  }

  @Override
  public Node withPriority(Object p) {
    return Objects.equals(p, priority) ? this : new ChildrenNode(keys, children, PriorityValues.check(p));
  }

  private int indexOf(String key) {
    return Arrays.binarySearch(keys, key, KeyOrder.COMPARATOR);
  }

  @Override
  public Node child(String key) {
    if (Path.PRIORITY_KEY.equals(key)) {
      return priority == null ? Node.empty() : LeafNode.of(priority);
    }
    int i = indexOf(key);
    return i >= 0 ? children[i] : Node.empty();
  }

  @Override
  public int childCount() {
    return keys.length;
  }

  /** The key at position {@code i} in key order. */
  public String keyAt(int i) {
    return keys[i];
  }

  public Node childAt(int i) {
    return children[i];
  }

  @Override
  public void forEachChild(BiConsumer<String, Node> visitor) {
    for (int i = 0; i < keys.length; i++) {
      visitor.accept(keys[i], children[i]);
    }
  }

  @Override
  public Node withChild(String key, Node child) {
    if (Path.PRIORITY_KEY.equals(key)) {
      return withPriority(PriorityValues.fromNode(child));
    }
    int i = indexOf(key);
    if (i >= 0) {
      if (child.isEmpty()) {
        if (keys.length == 1) {
          return Node.empty(); // the last child went: the object vanishes with its priority
        }
        String[] k = new String[keys.length - 1];
        Node[] c = new Node[keys.length - 1];
        System.arraycopy(keys, 0, k, 0, i);
        System.arraycopy(keys, i + 1, k, i, keys.length - i - 1);
        System.arraycopy(children, 0, c, 0, i);
        System.arraycopy(children, i + 1, c, i, keys.length - i - 1);
        return new ChildrenNode(k, c, priority);
      }
      if (children[i] == child) {
        return this;
      }
      Node[] c = children.clone();
      c[i] = child;
      return new ChildrenNode(keys, c, priority);
    }
    if (child.isEmpty()) {
      return this;
    }
    Path.validateKey(key);
    int at = -i - 1;
    String[] k = new String[keys.length + 1];
    Node[] c = new Node[keys.length + 1];
    System.arraycopy(keys, 0, k, 0, at);
    System.arraycopy(children, 0, c, 0, at);
    k[at] = key;
    c[at] = child;
    System.arraycopy(keys, at, k, at + 1, keys.length - at);
    System.arraycopy(children, at, c, at + 1, keys.length - at);
    return new ChildrenNode(k, c, priority);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ChildrenNode n
        && Arrays.equals(keys, n.keys)
        && Arrays.equals(children, n.children)
        && Objects.equals(priority, n.priority);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(keys) * 31 + Arrays.hashCode(children);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("{");
    for (int i = 0; i < keys.length; i++) {
      sb.append(i == 0 ? "" : ",").append(keys[i]).append(':').append(children[i]);
    }
    if (priority != null) {
      sb.append(keys.length == 0 ? "" : ",").append(".priority:").append(priority);
    }
    return sb.append('}').toString();
  }

  /**
   * Collects children in any order, then sorts once. Later puts of the same key win (an empty one removes the
   * key); empty children vanish.
   */
  public static final class Builder {
    private String[] keys = new String[8];
    private Node[] children = new Node[8];
    private int size;
    private Object priority;
    private boolean sorted = true;

    private Builder() {}

    public Builder put(String key, Node child) {
      if (child.isEmpty() && size == 0) {
        return this; // nothing earlier to remove
      }
      if (size == keys.length) {
        keys = Arrays.copyOf(keys, size * 2);
        children = Arrays.copyOf(children, size * 2);
      }
      if (size > 0 && KeyOrder.compare(keys[size - 1], key) >= 0) {
        sorted = false;
      }
      keys[size] = key;
      children[size] = child;
      size++;
      return this;
    }

    public Builder priority(Object p) {
      this.priority = PriorityValues.check(p);
      return this;
    }

    public Node build() {
      String[] k = Arrays.copyOf(keys, size);
      Node[] c = Arrays.copyOf(children, size);
      if (!sorted) {
        Integer[] order = new Integer[size];
        for (int i = 0; i < size; i++) {
          order[i] = i;
        }
        // Stable sort keeps insertion order among equal keys, so the last duplicate wins below.
        Arrays.sort(order, (x, y) -> KeyOrder.compare(keys[x], keys[y]));
        int n = 0;
        for (int i = 0; i < size; i++) {
          int src = order[i];
          if (n > 0 && keys[src].equals(k[n - 1])) {
            c[n - 1] = children[src];
          } else {
            k[n] = keys[src];
            c[n] = children[src];
            n++;
          }
        }
        k = Arrays.copyOf(k, n);
        c = Arrays.copyOf(c, n);
      }
      int n = 0;
      for (int i = 0; i < k.length; i++) {
        if (!c[i].isEmpty()) {
          k[n] = k[i];
          c[n] = c[i];
          n++;
        }
      }
      if (n == 0) {
        return Node.empty();
      }
      if (n < k.length) {
        k = Arrays.copyOf(k, n);
        c = Arrays.copyOf(c, n);
      }
      return new ChildrenNode(k, c, priority);
    }
  }
}
