package io.canopy.acceptance.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * JSON helpers, and the canonical form in which trees from different clients are compared: Firebase's data model
 * (no nulls, no empty objects, arrays are integer-keyed objects, priorities ignored) with every number as a double
 * (Java hands out {@code Long} or {@code Double}, JS only doubles) and keys sorted.
 */
public final class Json {
  public static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private Json() {}

  public static JsonNode parse(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not JSON: " + abbreviate(text, 300), e);
    }
  }

  public static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }

  public static ObjectNode object() {
    return NODES.objectNode();
  }

  /** Any SDK value (Map/List/Long/Double/Boolean/String/null) or JsonNode in canonical form; never Java null. */
  public static JsonNode canonical(Object value) {
    JsonNode node = value instanceof JsonNode j ? j : MAPPER.valueToTree(value);
    JsonNode c = canon(node);
    return c == null ? NullNode.getInstance() : c;
  }

  private static JsonNode canon(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return null;
    }
    if (node.isNumber()) {
      return DoubleNode.valueOf(node.doubleValue());
    }
    if (node.isArray()) {
      ObjectNode out = NODES.objectNode();
      for (int i = 0; i < node.size(); i++) {
        JsonNode c = canon(node.get(i));
        if (c != null) {
          out.set(String.valueOf(i), c);
        }
      }
      return out.isEmpty() ? null : out;
    }
    if (node.isObject()) {
      if (node.has(".value")) {
        return canon(node.get(".value"));
      }
      ObjectNode out = NODES.objectNode();
      java.util.List<Map.Entry<String, JsonNode>> sorted = new java.util.ArrayList<>(node.properties());
      sorted.sort(Map.Entry.comparingByKey()); // so that equal trees also print equally
      for (Map.Entry<String, JsonNode> e : sorted) {
        if (e.getKey().equals(".priority")) {
          continue;
        }
        JsonNode c = canon(e.getValue());
        if (c != null) {
          out.set(e.getKey(), c);
        }
      }
      return out.isEmpty() ? null : out;
    }
    return node;
  }

  /** The node at a slash path below {@code root} (MissingNode when absent). */
  public static JsonNode at(JsonNode root, String path) {
    JsonNode n = root;
    for (String key : path.split("/")) {
      if (key.isEmpty()) {
        continue;
      }
      n = n == null ? null : n.get(key);
    }
    return n == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : n;
  }

  public static String abbreviate(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max) + "…(" + s.length() + " chars)";
  }
}
