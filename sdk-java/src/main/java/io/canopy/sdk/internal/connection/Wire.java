package io.canopy.sdk.internal.connection;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.canopy.core.json.TreeJson;
import io.canopy.core.path.Path;
import io.canopy.core.tree.Node;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The v5 message layer as strings and plain values (PROTOCOL.md §2): writes client requests and control messages,
 * parses server messages into {@link ServerMessage}s. Tree data is written in the export format ({@code .value},
 * {@code .priority}, {@code .sv}); paths without a leading slash ({@code "/"} for the root, as the Java SDK sends).
 */
public final class Wire {
  private static final ObjectMapper JSON = new ObjectMapper(TreeJson.factory());

  private Wire() {}

  /**
   * {@code {"t":"d","d":{"r":r,"a":action,"b":body}}}. Body values may be {@link Node}s, maps, collections, strings,
   * numbers, booleans or null.
   */
  public static String request(long r, String action, Map<String, ?> body) {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = TreeJson.factory().createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("t", "d");
      g.writeObjectFieldStart("d");
      g.writeNumberField("r", r);
      g.writeStringField("a", action);
      g.writeFieldName("b");
      value(body, g);
      g.writeEndObject();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  /** The path as sent: {@code "a/b"}, or {@code "/"} for the root. */
  public static String path(Path p) {
    return p.isRoot() ? "/" : p.toRelativeString();
  }

  private static void value(Object v, JsonGenerator g) throws IOException {
    TreeJson.writePlain(v, g);
  }

  /** Parses one server message; unparsable or unknown messages come back as {@link ServerMessage.Unknown}. */
  public static ServerMessage parse(String text) {
    JsonNode msg;
    try {
      msg = JSON.readTree(text);
    } catch (IOException e) {
      return new ServerMessage.Unknown(text);
    }
    if (msg == null || !msg.isObject()) {
      return new ServerMessage.Unknown(text);
    }
    String t = msg.path("t").asText();
    JsonNode d = msg.path("d");
    if (t.equals("c")) {
      String type = d.path("t").asText();
      JsonNode body = d.path("d");
      if (type.equals("h")) {
        return new ServerMessage.Handshake(body.path("ts").asLong(System.currentTimeMillis()),
            body.path("h").asText(null), body.path("s").asText(null));
      }
      return new ServerMessage.Control(type, body.isTextual() ? body.asText() : body.toString());
    }
    if (t.equals("d")) {
      JsonNode b = d.path("b");
      if (d.has("r")) {
        String status = b.path("s").asText("");
        JsonNode data = b.get("d");
        return new ServerMessage.Reply(d.path("r").asLong(), status, data == null ? null : data);
      }
      return new ServerMessage.Push(d.path("a").asText(""), b);
    }
    return new ServerMessage.Unknown(text);
  }

  /** A JSON value (export format) as a tree; null or missing is empty. */
  public static Node node(JsonNode json) {
    if (json == null || json.isNull() || json.isMissingNode()) {
      return Node.empty();
    }
    try (JsonParser p = json.traverse(JSON)) {
      return TreeJson.parseValue(p, p.nextToken());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A merge's {@code d}: relative paths (which may contain {@code /}) to trees. */
  public static Map<Path, Node> merge(JsonNode json) {
    Map<Path, Node> out = new LinkedHashMap<>();
    if (json != null && json.isObject()) {
      Iterator<Map.Entry<String, JsonNode>> it = json.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        out.put(Path.parseWrite(e.getKey()), node(e.getValue()));
      }
    }
    return out;
  }

  /** A reply's or control message's {@code d} as text (error messages are strings). */
  public static String text(JsonNode json) {
    if (json == null || json.isNull() || json.isMissingNode()) {
      return "";
    }
    return json.isTextual() ? json.asText() : json.toString();
  }
}
