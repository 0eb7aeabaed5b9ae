package io.canopy.core.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import io.canopy.core.error.CanopyException;
import io.canopy.core.path.Path;
import io.canopy.core.tree.ChildrenNode;
import io.canopy.core.tree.LeafNode;
import io.canopy.core.tree.Node;
import io.canopy.core.tree.ServerValue;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.util.Collection;
import java.util.Map;

/**
 * The codec between JSON in Firebase's export format and trees. Parsing understands {@code .value},
 * {@code .priority} and {@code .sv}, turns arrays into integer-keyed objects, drops nulls, empty objects and other
 * {@code .}-keys, and rejects invalid keys. Writing prints integral numbers below 1e21 without a decimal point (as
 * JavaScript does, so Java clients get Longs) and, in export mode, priorities.
 */
public final class TreeJson {
  /** Strings up to 10 MB and documents up to 256 MB must parse; nesting is bounded far above the depth limit. */
  static final JsonFactory FACTORY = JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder()
          .maxStringLength(Integer.MAX_VALUE)
          .maxNestingDepth(1000)
          .maxNumberLength(1000)
          .maxDocumentLength(-1)
          .build())
      .enable(com.fasterxml.jackson.core.json.JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
      .build();

  private static final double INTEGRAL_LIMIT = 1e21;

  private TreeJson() {}

  public static JsonFactory factory() {
    return FACTORY;
  }

  public static Node parse(String json) {
    try (JsonParser p = FACTORY.createParser(json)) {
      return parseDocument(p);
    } catch (IOException e) {
      throw invalid(e);
    }
  }

  public static Node parse(byte[] json) {
    try (JsonParser p = FACTORY.createParser(json)) {
      return parseDocument(p);
    } catch (IOException e) {
      throw invalid(e);
    }
  }

  public static Node parse(InputStream json) {
    try (JsonParser p = FACTORY.createParser(json)) {
      return parseDocument(p);
    } catch (IOException e) {
      throw invalid(e);
    }
  }

  private static CanopyException invalid(IOException e) {
    String msg = e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : e.getMessage();
    return CanopyException.invalidData("Invalid data; couldn't parse JSON object, array, or value. " + msg);
  }

  private static Node parseDocument(JsonParser p) throws IOException {
    JsonToken t = p.nextToken();
    if (t == null) {
      throw CanopyException.invalidData("Invalid data; couldn't parse JSON object, array, or value.");
    }
    Node n = parseValue(p, t);
    if (p.nextToken() != null) {
      throw CanopyException.invalidData("Invalid data; couldn't parse JSON object, array, or value.");
    }
    return n;
  }

  /** Parses the value whose first token is {@code t}; the parser is left on its last token. */
  public static Node parseValue(JsonParser p, JsonToken t) throws IOException {
    switch (t) {
      case VALUE_NULL:
        return Node.empty();
      case VALUE_TRUE:
        return LeafNode.of(Boolean.TRUE);
      case VALUE_FALSE:
        return LeafNode.of(Boolean.FALSE);
      case VALUE_STRING:
        return LeafNode.of(p.getText());
      case VALUE_NUMBER_INT:
      case VALUE_NUMBER_FLOAT:
        return LeafNode.of(p.getDoubleValue());
      case START_ARRAY:
        return parseArray(p);
      case START_OBJECT:
        return parseObject(p);
      default:
        throw CanopyException.invalidData("Invalid data; unexpected JSON token " + t);
    }
  }

  private static Node parseArray(JsonParser p) throws IOException {
    ChildrenNode.Builder b = ChildrenNode.builder();
    int i = 0;
    JsonToken t;
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      b.put(Integer.toString(i++), parseValue(p, t));
    }
    return b.build();
  }

  private static Node parseObject(JsonParser p) throws IOException {
    ChildrenNode.Builder b = null;
    Node value = null;
    Object priority = null;
    boolean hasPriority = false;
    ServerValue sv = null;
    JsonToken t;
    while ((t = p.nextToken()) != JsonToken.END_OBJECT) {
      String key = p.currentName();
      t = p.nextToken();
      if (key.startsWith(".")) {
        switch (key) {
          case ".value" -> {
            Node v = parseValue(p, t);
            if (!v.isEmpty() && !v.isLeaf()) {
              throw CanopyException.invalidData("Invalid data; \".value\" must be a string, number or boolean");
            }
            value = v;
          }
          case ".priority" -> {
            priority = parsePriority(p, t);
            hasPriority = true;
          }
          case ".sv" -> sv = parseServerValue(p, t);
          default -> p.skipChildren(); // other dot-keys are ignored, as Firebase does
        }
        continue;
      }
      String problem = Path.keyProblem(key);
      if (problem != null) {
        throw CanopyException.invalidData("Invalid data; key \"" + key + "\": " + problem);
      }
      if (b == null) {
        b = ChildrenNode.builder();
      }
      b.put(key, parseValue(p, t));
    }
    Node result;
    if (sv != null) {
      if (b != null || value != null) {
        throw CanopyException.invalidData("Invalid data; \".sv\" must be the only key of its object");
      }
      result = LeafNode.of(sv);
    } else if (value != null) {
      if (b != null) {
        throw CanopyException.invalidData("Invalid data; \".value\" can't be combined with children");
      }
      result = value;
    } else {
      result = b == null ? Node.empty() : b.build();
    }
    return hasPriority ? result.withPriority(priority) : result;
  }

  private static Object parsePriority(JsonParser p, JsonToken t) throws IOException {
    switch (t) {
      case VALUE_NULL:
        return null;
      case VALUE_STRING:
        return p.getText();
      case VALUE_NUMBER_INT:
      case VALUE_NUMBER_FLOAT:
        return p.getDoubleValue();
      case START_OBJECT: {
        Node n = parseObject(p);
        if (n instanceof LeafNode l && l.value() instanceof ServerValue s) {
          return s;
        }
        break;
      }
      default:
        break;
    }
    throw CanopyException.invalidData("Invalid data; \".priority\" must be a finite number, a string or null");
  }

  private static ServerValue parseServerValue(JsonParser p, JsonToken t) throws IOException {
    if (t == JsonToken.VALUE_STRING && "timestamp".equals(p.getText())) {
      return ServerValue.TIMESTAMP;
    }
    if (t == JsonToken.START_OBJECT) {
      ServerValue sv = null;
      while ((t = p.nextToken()) != JsonToken.END_OBJECT) {
        String key = p.currentName();
        t = p.nextToken();
        if ("increment".equals(key) && t.isNumeric() && Double.isFinite(p.getDoubleValue())) {
          sv = new ServerValue.Increment(p.getDoubleValue());
        } else {
          p.skipChildren();
          sv = null;
          break;
        }
      }
      if (sv != null) {
        return sv;
      }
    }
    throw CanopyException.invalidData("Invalid data; unknown server value (\".sv\")");
  }

  // ---- writing ----

  public static String write(Node node, boolean export) {
    StringWriter w = new StringWriter();
    write(node, w, export);
    return w.toString();
  }

  public static byte[] writeBytes(Node node, boolean export) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    write(node, out, export);
    return out.toByteArray();
  }

  public static void write(Node node, OutputStream out, boolean export) {
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      write(node, g, export);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static void write(Node node, Writer out, boolean export) {
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      write(node, g, export);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes {@code node} as one JSON value. In export mode priorities appear as {@code .priority}/{@code .value}. */
  /**
   * Writes a plain JSON value: null, a {@link Node} (in export format), String, Boolean, a number (Integer and Long
   * as integers, others as Firebase writes doubles), a Map (keys as strings) or a Collection, nested freely. The
   * one writer of protocol bodies and log fields that are not tree data.
   *
   * @throws IllegalArgumentException for any other type
   */
  public static void writePlain(Object v, JsonGenerator g) throws IOException {
    if (v == null) {
      g.writeNull();
    } else if (v instanceof Node node) {
      write(node, g, true);
    } else if (v instanceof String str) {
      g.writeString(str);
    } else if (v instanceof Boolean b) {
      g.writeBoolean(b);
    } else if (v instanceof Integer || v instanceof Long) {
      g.writeNumber(((Number) v).longValue());
    } else if (v instanceof Number n) {
      writeNumber(n.doubleValue(), g);
    } else if (v instanceof Map<?, ?> map) {
      g.writeStartObject();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        g.writeFieldName(String.valueOf(e.getKey()));
        writePlain(e.getValue(), g);
      }
      g.writeEndObject();
    } else if (v instanceof Collection<?> list) {
      g.writeStartArray();
      for (Object o : list) {
        writePlain(o, g);
      }
      g.writeEndArray();
    } else {
      throw new IllegalArgumentException("not a JSON value: " + v.getClass().getName());
    }
  }

  public static void write(Node node, JsonGenerator g, boolean export) throws IOException {
    if (node.isEmpty()) {
      g.writeNull();
      return;
    }
    Object priority = export ? node.priority() : null;
    if (node instanceof LeafNode leaf) {
      if (priority == null) {
        writeLeafValue(leaf.value(), g);
      } else {
        g.writeStartObject();
        g.writeFieldName(".value");
        writeLeafValue(leaf.value(), g);
        g.writeFieldName(".priority");
        writeLeafValue(priority, g);
        g.writeEndObject();
      }
      return;
    }
    ChildrenNode obj = (ChildrenNode) node;
    if (!export && looksLikeArray(obj)) {
      writeArray(obj, g);
      return;
    }
    g.writeStartObject();
    for (int i = 0; i < obj.childCount(); i++) {
      g.writeFieldName(obj.keyAt(i));
      write(obj.childAt(i), g, export);
    }
    if (priority != null) {
      g.writeFieldName(".priority");
      writeLeafValue(priority, g);
    }
    g.writeEndObject();
  }

  /**
   * Firebase's array heuristic for plain values (the SDKs' {@code val()} and the REST API): an object whose keys
   * are all canonical non-negative integers, with the largest below twice the key count, reads as an array
   * (missing indexes as null). The export format never uses arrays.
   */
  static boolean looksLikeArray(ChildrenNode obj) {
    int n = obj.childCount();
    long max = -1;
    for (int i = 0; i < n; i++) {
      String k = obj.keyAt(i);
      if (!isArrayIndex(k)) {
        return false;
      }
      max = Math.max(max, Long.parseLong(k));
    }
    return max < 2L * n;
  }

  private static boolean isArrayIndex(String k) {
    int len = k.length();
    if (len == 0 || len > 10 || (k.charAt(0) == '0' && len > 1)) {
      return false;
    }
    for (int i = 0; i < len; i++) {
      char c = k.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  private static void writeArray(ChildrenNode obj, JsonGenerator g) throws IOException {
    g.writeStartArray();
    int next = 0;
    for (int i = 0; i < obj.childCount(); i++) { // integer keys are in numeric order
      int index = Integer.parseInt(obj.keyAt(i));
      for (; next < index; next++) {
        g.writeNull();
      }
      write(obj.childAt(i), g, false);
      next = index + 1;
    }
    g.writeEndArray();
  }

  private static void writeLeafValue(Object v, JsonGenerator g) throws IOException {
    if (v instanceof String s) {
      g.writeString(s);
    } else if (v instanceof Boolean b) {
      g.writeBoolean(b);
    } else if (v instanceof Double d) {
      writeNumber(d, g);
    } else if (v instanceof ServerValue.Timestamp) {
      g.writeStartObject();
      g.writeStringField(".sv", "timestamp");
      g.writeEndObject();
    } else if (v instanceof ServerValue.Increment inc) {
      g.writeStartObject();
      g.writeFieldName(".sv");
      g.writeStartObject();
      g.writeFieldName("increment");
      writeNumber(inc.delta(), g);
      g.writeEndObject();
      g.writeEndObject();
    } else {
      throw new IllegalStateException("not a leaf value: " + v);
    }
  }

  /** Integral values below 1e21 print as integers, like JavaScript's Number#toString. */
  public static void writeNumber(double d, JsonGenerator g) throws IOException {
    if (d == Math.rint(d) && Math.abs(d) < INTEGRAL_LIMIT) {
      if (Math.abs(d) < 0x1p63) {
        g.writeNumber((long) d);
      } else {
        g.writeNumber(new BigDecimal(d).toBigInteger());
      }
    } else {
      g.writeNumber(d);
    }
  }
}
