package io.canopy.core.query;

import io.canopy.core.error.CanopyException;
import io.canopy.core.error.ErrorCode;
import io.canopy.core.path.KeyOrder;
import io.canopy.core.path.Path;
import io.canopy.core.tree.LeafNode;
import io.canopy.core.tree.Node;
import java.util.Comparator;
import java.util.Map;
import java.util.Objects;

/**
 * What a query orders by: the child's priority (the default), its key, its own value, or the value at a path below
 * it. Every index orders {@code (key, child)} entries by an index value first and the key ({@link KeyOrder}) second:
 *
 * <ul>
 *   <li>values: empty/null &lt; {@code false} &lt; {@code true} &lt; numbers (ascending; {@code -0 == 0}) &lt; strings
 *       (UTF-16 code-unit order) &lt; objects (all objects tie);
 *   <li>priorities: none &lt; numbers &lt; strings;
 *   <li>the key index compares keys only.
 * </ul>
 */
public abstract sealed class QueryIndex
    permits QueryIndex.PriorityIndex, QueryIndex.KeyIndex, QueryIndex.ValueIndex, QueryIndex.ChildIndex {

  /** The four kinds of index. */
  public enum Kind {
    PRIORITY,
    KEY,
    VALUE,
    CHILD
  }

  /** Marks a non-leaf value in {@link #sortValue}: every object ties with every other object. */
  static final Object OBJECT = new Object() {
    @Override
    public String toString() {
      return "[object]";
    }
  };

  private static final Comparator<Map.Entry<String, Node>> KEY_ENTRY_COMPARATOR =
      (a, b) -> KeyOrder.compare(a.getKey(), b.getKey());

  /** orderByPriority, the default index. */
  public static final QueryIndex PRIORITY = new PriorityIndex();
  /** orderByKey. */
  public static final QueryIndex KEY = new KeyIndex();
  /** orderByValue. */
  public static final QueryIndex VALUE = new ValueIndex();

  private final Comparator<Map.Entry<String, Node>> entryComparator =
      (a, b) -> compare(a.getKey(), a.getValue(), b.getKey(), b.getValue());

  private QueryIndex() {}

  /** orderByChild(path); the path must not be the root (use {@link #VALUE}). */
  public static QueryIndex child(Path path) {
    Objects.requireNonNull(path, "path");
    if (path.isRoot()) {
      throw new CanopyException(ErrorCode.INVALID_QUERY,
          "orderByChild: cannot pass in empty path. Use orderByValue() instead.");
    }
    return new ChildIndex(path);
  }

  /** orderByChild(path) from a path string such as {@code "a/b"}. */
  public static QueryIndex child(String path) {
    Path p;
    try {
      p = Path.parse(path);
    } catch (CanopyException e) {
      throw new CanopyException(ErrorCode.INVALID_QUERY, "orderByChild: " + e.getMessage(), e);
    }
    return child(p);
  }

  /**
   * The index named by the wire field {@code i}: {@code null} or {@code ".priority"} = priority, {@code ".key"},
   * {@code ".value"}, otherwise a child path.
   */
  public static QueryIndex fromWire(String i) {
    if (i == null || i.equals(".priority")) {
      return PRIORITY;
    }
    if (i.equals(".key")) {
      return KEY;
    }
    if (i.equals(".value")) {
      return VALUE;
    }
    Path p;
    try {
      p = Path.parse(i);
    } catch (CanopyException e) {
      throw new CanopyException(ErrorCode.INVALID_QUERY, "Invalid query index \"" + i + "\": " + e.getMessage(), e);
    }
    if (p.isRoot()) {
      throw new CanopyException(ErrorCode.INVALID_QUERY, "Invalid query index \"" + i + "\"");
    }
    return new ChildIndex(p);
  }

  public abstract Kind kind();

  /** The wire name ({@code i}): {@code ".priority"}, {@code ".key"}, {@code ".value"} or the relative child path. */
  public abstract String wireName();

  /** The REST name ({@code orderBy}, unquoted): {@code "$priority"}, {@code "$key"}, {@code "$value"} or the path. */
  public abstract String restName();

  /** The child path of a {@link Kind#CHILD} index, else null. */
  public Path path() {
    return null;
  }

  /**
   * The value this index sorts a child by, as one of null (empty / no priority), Boolean, Double, String or
   * {@link #OBJECT}. Returns references already held by the tree, so it allocates nothing. Unused by the key index.
   */
  abstract Object sortValue(Node child);

  /** Compares two entries in this index's order: index value first, then key. */
  public int compare(String keyA, Node a, String keyB, Node b) {
    int c = compareValues(sortValue(a), sortValue(b));
    return c != 0 ? c : KeyOrder.compare(keyA, keyB);
  }

  /** The order of {@code (key, child)} entries under this index. */
  public Comparator<Map.Entry<String, Node>> comparator() {
    return entryComparator;
  }

  /**
   * True if a change from {@code oldChild} to {@code newChild} can move the child in this index, decided like the
   * Firebase SDK: priority index = the priority changed; value index = the node changed; child index = the node at
   * the path changed; key index = never.
   */
  public abstract boolean indexedValueChanged(Node oldChild, Node newChild);

  // ---- value order ----

  /** 0 null, 1 false, 2 true, 3 number, 4 string, 5 object. */
  static int rank(Object v) {
    if (v == null) {
      return 0;
    }
    if (v instanceof Boolean b) {
      return b ? 2 : 1;
    }
    if (v instanceof Double) {
      return 3;
    }
    if (v instanceof String) {
      return 4;
    }
    return 5;
  }

  /** Firebase's order of index values (see the class comment); all objects tie. */
  static int compareValues(Object a, Object b) {
    if (a == b) {
      return 0;
    }
    int ra = rank(a);
    int rb = rank(b);
    if (ra != rb) {
      return ra < rb ? -1 : 1;
    }
    if (ra == 3) {
      double x = (Double) a;
      double y = (Double) b;
      return x < y ? -1 : (x > y ? 1 : 0); // primitive compare: -0 == 0, as in JavaScript
    }
    if (ra == 4) {
      return Integer.signum(((String) a).compareTo((String) b));
    }
    return 0;
  }

  /** The sort value of a node used as a value: leaf value, null when empty, {@link #OBJECT} otherwise. */
  static Object valueOf(Node n) {
    if (n instanceof LeafNode leaf) {
      Object v = leaf.value();
      return v instanceof Boolean || v instanceof Double || v instanceof String ? v : OBJECT;
    }
    return n.isEmpty() ? null : OBJECT;
  }

  @Override
  public String toString() {
    return wireName();
  }

  // ---- the four indexes ----

  /** Orders by priority: none &lt; numbers &lt; strings, ties by key. */
  public static final class PriorityIndex extends QueryIndex {
    private PriorityIndex() {}

    @Override
    public Kind kind() {
      return Kind.PRIORITY;
    }

    @Override
    public String wireName() {
      return ".priority";
    }

    @Override
    public String restName() {
      return "$priority";
    }

    @Override
    Object sortValue(Node child) {
      Object p = child.priority();
      return p instanceof Double || p instanceof String ? p : null;
    }

    @Override
    public boolean indexedValueChanged(Node oldChild, Node newChild) {
      return !Objects.equals(oldChild.priority(), newChild.priority());
    }
  }

  /** Orders by key ({@link KeyOrder}). */
  public static final class KeyIndex extends QueryIndex {
    private KeyIndex() {}

    @Override
    public Kind kind() {
      return Kind.KEY;
    }

    @Override
    public String wireName() {
      return ".key";
    }

    @Override
    public String restName() {
      return "$key";
    }

    @Override
    Object sortValue(Node child) {
      return null;
    }

    @Override
    public int compare(String keyA, Node a, String keyB, Node b) {
      return KeyOrder.compare(keyA, keyB);
    }

    @Override
    public Comparator<Map.Entry<String, Node>> comparator() {
      return KEY_ENTRY_COMPARATOR;
    }

    @Override
    public boolean indexedValueChanged(Node oldChild, Node newChild) {
      return false;
    }
  }

  /** Orders by the child's own value. */
  public static final class ValueIndex extends QueryIndex {
    private ValueIndex() {}

    @Override
    public Kind kind() {
      return Kind.VALUE;
    }

    @Override
    public String wireName() {
      return ".value";
    }

    @Override
    public String restName() {
      return "$value";
    }

    @Override
    Object sortValue(Node child) {
      return valueOf(child);
    }

    @Override
    public boolean indexedValueChanged(Node oldChild, Node newChild) {
      return !oldChild.equals(newChild);
    }
  }

  /** Orders by the value at a path below each child (empty if missing). */
  public static final class ChildIndex extends QueryIndex {
    private final Path path;
    private final String first;
    private final boolean single;

    private ChildIndex(Path path) {
      this.path = path;
      this.first = path.front();
      this.single = path.size() == 1;
    }

    @Override
    public Kind kind() {
      return Kind.CHILD;
    }

    @Override
    public Path path() {
      return path;
    }

    @Override
    public String wireName() {
      return path.toRelativeString();
    }

    @Override
    public String restName() {
      return path.toRelativeString();
    }

    private Node at(Node child) {
      return single ? child.child(first) : child.get(path);
    }

    @Override
    Object sortValue(Node child) {
      return valueOf(at(child));
    }

    @Override
    public boolean indexedValueChanged(Node oldChild, Node newChild) {
      return !at(oldChild).equals(at(newChild));
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof ChildIndex c && c.path.equals(path);
    }

    @Override
    public int hashCode() {
      return path.hashCode();
    }
  }
}
