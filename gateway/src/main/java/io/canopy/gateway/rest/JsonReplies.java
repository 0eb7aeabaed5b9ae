package io.canopy.gateway.rest;

import com.fasterxml.jackson.core.JsonGenerator;
import io.canopy.core.json.TreeJson;
import io.canopy.core.path.Path;
import io.canopy.core.tree.ChildrenNode;
import io.canopy.core.tree.LeafNode;
import io.canopy.core.tree.Node;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/** Reply bodies as bytes: values, multi-path echoes, push names and errors, compact or pretty. */
public final class JsonReplies {
  private JsonReplies() {}

  /** A value, with priorities only in export format. */
  public static byte[] value(Node node, RestParams params) {
    return write(params, g -> TreeJson.write(node, g, params.export()));
  }

  /** A multi-path update echo: an object whose keys are the relative paths, as the client sent them. */
  public static byte[] update(Map<Path, Node> children, RestParams params) {
    return write(params, g -> {
      g.writeStartObject();
      for (Map.Entry<Path, Node> e : children.entrySet()) {
        g.writeFieldName(e.getKey().toRelativeString());
        TreeJson.write(e.getValue(), g, params.export());
      }
      g.writeEndObject();
    });
  }

  /** The reply of a POST: {@code {"name":"<push id>"}}. */
  public static byte[] pushName(String name, RestParams params) {
    return write(params, g -> {
      g.writeStartObject();
      g.writeStringField("name", name);
      g.writeEndObject();
    });
  }

  /** Firebase's error body: {@code {"error":"<message>"}}. */
  public static byte[] error(String message) {
    return write(RestParams.DEFAULTS, g -> {
      g.writeStartObject();
      g.writeStringField("error", message);
      g.writeEndObject();
    });
  }

  /** {@code shallow=true}: a leaf as it is, an object as its child keys each mapped to {@code true}. */
  public static Node shallow(Node node) {
    if (node.isEmpty() || node.isLeaf()) {
      return node.withPriority(null);
    }
    ChildrenNode.Builder keys = ChildrenNode.builder();
    node.forEachChild((key, child) -> keys.put(key, LeafNode.of(Boolean.TRUE)));
    return keys.build();
  }

  private interface Body {
    void writeTo(JsonGenerator g) throws IOException;
  }

  private static byte[] write(RestParams params, Body body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(64);
    try (JsonGenerator g = TreeJson.factory().createGenerator(out)) {
      if (params.print() == RestParams.Print.PRETTY) {
        g.useDefaultPrettyPrinter();
      }
      body.writeTo(g);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
