package io.canopy.sdk;

import io.canopy.core.path.Path;
import io.canopy.core.query.QueryEngine;
import io.canopy.core.query.QueryIndex;
import io.canopy.core.query.QuerySpec;
import io.canopy.core.tree.Node;
import io.canopy.sdk.internal.value.Paths;
import io.canopy.sdk.internal.value.Values;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An immutable copy of the data at a location (or of a query's result) at one moment. Values read as plain Java
 * values ({@link #getValue()}) or mapped onto a class with Jackson ({@link #getValue(Class)}); {@link #children()}
 * iterate in the query's order.
 */
public final class DataSnapshot {
  private final DatabaseReference ref;
  private final Node node;
  private final QueryIndex index;

  DataSnapshot(DatabaseReference ref, Node node, QueryIndex index) {
    this.ref = ref;
    this.node = node;
    this.index = index;
  }

  /** The last key of the location, or null for the root. */
  public String key() {
    return ref.key();
  }

  /** The location this snapshot was taken at. */
  public DatabaseReference ref() {
    return ref;
  }

  /** True if there is data (anything but null). */
  public boolean exists() {
    return !node.isEmpty();
  }

  /**
   * The value as plain Java values: null, String, Boolean, Long (integral numbers), Double, {@code Map<String,
   * Object>} (in key order) or {@code List<Object>} (for objects whose keys are 0, 1, 2, ...). Priorities are left
   * out.
   */
  public Object getValue() {
    return Values.toPlain(node);
  }

  /**
   * The value mapped onto {@code type} by Jackson: records, POJOs (unknown properties ignored), collections, boxed
   * primitives. Null when there is no data. Throws {@link InvalidDataException} when the data does not fit.
   */
  public <T> T getValue(Class<T> type) {
    return Values.convert(node, type);
  }

  /** Like {@link #getValue(Class)} for a generic type, such as a {@code ParameterizedType} for {@code List<Message>}. */
  @SuppressWarnings("unchecked")
  public <T> T getValue(Type type) {
    return (T) Values.convert(node, type);
  }

  /** The value with priorities, in Firebase's export format ({@code .value} / {@code .priority} keys). */
  public Object getExportValue() {
    return Values.toExport(node);
  }

  /** The priority: null, a Double or a String. */
  public Object getPriority() {
    return node.priority();
  }

  /** The snapshot of a relative path below this one (empty if there is nothing there). */
  public DataSnapshot child(String path) {
    Path rel = Paths.parse(path);
    return new DataSnapshot(ref.child(path), node.get(rel), QueryIndex.PRIORITY);
  }

  /** True if there is data at the relative path. */
  public boolean hasChild(String path) {
    return child(path).exists();
  }

  /** True if this is an object with children. */
  public boolean hasChildren() {
    return node.childCount() > 0;
  }

  public int getChildrenCount() {
    return node.childCount();
  }

  /** The direct children in the query's order (priority order for plain locations, as Firebase does). */
  public Iterable<DataSnapshot> children() {
    List<DataSnapshot> out = new ArrayList<>(node.childCount());
    QuerySpec order = QuerySpec.DEFAULT.withIndex(index);
    for (Map.Entry<String, Node> e : QueryEngine.orderedChildren(order, node)) {
      out.add(new DataSnapshot(ref.child(e.getKey()), e.getValue(), QueryIndex.PRIORITY));
    }
    return out;
  }

  /** The value as JSON (plain values, no priorities). */
  public String toJson() {
    return Values.toJson(node);
  }

  Node node() {
    return node;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DataSnapshot s && s.ref.equals(ref) && s.node.equals(node);
  }

  @Override
  public int hashCode() {
    return Objects.hash(ref, node);
  }

  @Override
  public String toString() {
    return "DataSnapshot{key=" + key() + ", value=" + toJson() + "}";
  }
}
