package io.canopy.sdk.internal.value;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.canopy.core.error.CanopyException;
import io.canopy.core.json.TreeJson;
import io.canopy.core.tree.ChildrenNode;
import io.canopy.core.tree.LeafNode;
import io.canopy.core.tree.Node;
import io.canopy.sdk.InvalidDataException;
import java.io.IOException;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts between user values and trees. Writing: null, strings, booleans, numbers, maps (string keys), lists,
 * arrays, and any POJO, record or enum Jackson can serialise; maps may use the export keys {@code .value},
 * {@code .priority} and {@code .sv} (server values). Reading: Firebase's plain values (null, String, Boolean, Long for
 * integral numbers within ±2^53, Double otherwise, {@code Map<String,Object>} in key order, and {@code List<Object>}
 * for array-like objects), or a type mapped by Jackson. Thread-safe.
 */
public final class Values {
  private static final ObjectMapper MAPPER = new ObjectMapper()
      .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY);
  private static final double MAX_SAFE_INTEGER = 9007199254740992d; // 2^53

  private Values() {}

  /** The tree for a user value; throws {@link InvalidDataException} for values Firebase can't store. */
  public static Node toNode(Object value) {
    if (value == null) {
      return Node.empty();
    }
    try {
      if (value instanceof String || value instanceof Boolean) {
        return LeafNode.of(value);
      }
      if (value instanceof Number n && !(value instanceof java.math.BigDecimal)
          && !(value instanceof java.math.BigInteger)) {
        return LeafNode.of(n.doubleValue());
      }
      JsonNode tree;
      try {
        tree = MAPPER.valueToTree(value);
      } catch (IllegalArgumentException e) {
        throw new InvalidDataException("Cannot convert " + value.getClass().getName() + " to a value: "
            + e.getMessage(), e);
      }
      try (JsonParser p = tree.traverse(MAPPER)) {
        return TreeJson.parseValue(p, p.nextToken());
      }
    } catch (CanopyException e) {
      throw new InvalidDataException(e.getMessage(), e);
    } catch (IOException e) {
      throw new InvalidDataException("Cannot convert " + value.getClass().getName() + ": " + e.getMessage(), e);
    }
  }

  /** The plain Java value of a tree (priorities left out). */
  public static Object toPlain(Node node) {
    if (node.isEmpty()) {
      return null;
    }
    if (node instanceof LeafNode leaf) {
      Object v = leaf.value();
      if (v instanceof Double d) {
        if (d == Math.rint(d) && Math.abs(d) <= MAX_SAFE_INTEGER) {
          return d.longValue();
        }
        return d;
      }
      return v;
    }
    ChildrenNode obj = (ChildrenNode) node;
    int n = obj.childCount();
    if (looksLikeArray(obj)) {
      List<Object> list = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        int index = Integer.parseInt(obj.keyAt(i));
        while (list.size() < index) {
          list.add(null);
        }
        list.add(toPlain(obj.childAt(i)));
      }
      return list;
    }
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      map.put(obj.keyAt(i), toPlain(obj.childAt(i)));
    }
    return map;
  }

  /** The value with its priorities, in the export format ({@code .value}/{@code .priority}). */
  public static Object toExport(Node node) {
    if (node.isEmpty()) {
      return null;
    }
    Object priority = node.priority();
    if (node instanceof LeafNode) {
      Object v = toPlain(node);
      if (priority == null) {
        return v;
      }
      Map<String, Object> m = new LinkedHashMap<>();
      m.put(".value", v);
      m.put(".priority", toPlain(LeafNode.of(priority)));
      return m;
    }
    Map<String, Object> map = new LinkedHashMap<>();
    node.forEachChild((k, c) -> map.put(k, toExport(c)));
    if (priority != null) {
      map.put(".priority", toPlain(LeafNode.of(priority)));
    }
    return map;
  }

  /** Maps the tree onto {@code type} with Jackson (records, POJOs, collections, boxed primitives). */
  public static <T> T convert(Node node, Class<T> type) {
    Object plain = toPlain(node);
    if (plain == null) {
      return null;
    }
    if (type.isInstance(plain)) {
      return type.cast(plain);
    }
    try {
      return MAPPER.convertValue(plain, type);
    } catch (IllegalArgumentException e) {
      throw new InvalidDataException("Cannot convert the value to " + type.getName() + ": " + e.getMessage(), e);
    }
  }

  /** Maps the tree onto a generic type (for example {@code List<Message>}) with Jackson. */
  public static Object convert(Node node, Type type) {
    Object plain = toPlain(node);
    if (plain == null) {
      return null;
    }
    JavaType javaType = MAPPER.getTypeFactory().constructType(type);
    try {
      return MAPPER.convertValue(plain, javaType);
    } catch (IllegalArgumentException e) {
      throw new InvalidDataException("Cannot convert the value to " + type.getTypeName() + ": " + e.getMessage(), e);
    }
  }

  /** A priority value: null, a finite number or a string. */
  public static Object priority(Object p) {
    if (p == null || p instanceof String) {
      return p;
    }
    if (p instanceof Number n && Double.isFinite(n.doubleValue())) {
      return n.doubleValue();
    }
    throw new InvalidDataException("Priority must be a finite number, a string or null, not " + p);
  }

  /** The JSON text of a tree (plain values, arrays for array-like objects). */
  public static String toJson(Node node) {
    return TreeJson.write(node, false);
  }

  /** Firebase's array heuristic: all keys canonical non-negative integers, the largest below twice the count. */
  static boolean looksLikeArray(ChildrenNode obj) {
    int n = obj.childCount();
    long max = -1;
    for (int i = 0; i < n; i++) {
      String k = obj.keyAt(i);
      int len = k.length();
      if (len == 0 || len > 9 || (k.charAt(0) == '0' && len > 1)) {
        return false;
      }
      for (int j = 0; j < len; j++) {
        char c = k.charAt(j);
        if (c < '0' || c > '9') {
          return false;
        }
      }
      max = Math.max(max, Long.parseLong(k));
    }
    return max < 2L * n;
  }
}
