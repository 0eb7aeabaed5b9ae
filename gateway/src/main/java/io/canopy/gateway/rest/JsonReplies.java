package io.canopy.gateway.rest;

import com.fasterxml.jackson.core.JsonGenerator;
import io.canopy.core.error.CanopyException;
import io.canopy.core.json.TreeJson;
import io.canopy.core.path.Path;
import io.canopy.core.query.QueryEngine;
import io.canopy.core.query.QuerySpec;
import io.canopy.core.tree.ChildrenNode;
import io.canopy.core.tree.LeafNode;
import io.canopy.core.tree.Node;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/** Reply bodies: values, query results, multi-path echoes, push names and errors, compact or pretty. */
public final class JsonReplies {
  /** Firebase's message for a read over its single-response limit (256 MB). */
  static final String READ_TOO_LARGE =
      "Data requested exceeds the maximum size that can be accessed with a single request.";

  private JsonReplies() {}

  /** A value, with priorities only in export format. */
  public static byte[] value(Node node, RestParams params) {
    return bytes(params, g -> TreeJson.write(node, g, params.export()));
  }

  /**
   * The body of a GET: {@code shallow} keys, a query's children in query order (Firebase leaves the order
   * undefined; ours is the index's), or the plain value. Written straight into a Vert.x buffer.
   *
   * @param maxBytes the largest reply; a larger one fails with Firebase's 400 (the read is not sent at all)
   */
  public static Buffer read(Node value, RestParams params, long maxBytes) {
    BufferOutput out = new BufferOutput(maxBytes);
    try (JsonGenerator g = TreeJson.factory().createGenerator(out)) {
      if (params.print() == RestParams.Print.PRETTY) {
        g.useDefaultPrettyPrinter();
      }
      if (params.shallow()) {
        TreeJson.write(shallow(value), g, false);
      } else if (params.ordered()) {
        writeQueryResult(params.query(), value, g, params.export());
      } else {
        TreeJson.write(value, g, params.export());
      }
    } catch (TooLarge e) {
      throw CanopyException.invalidData(READ_TOO_LARGE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.buffer;
  }

  /** The value a GET answers (what its ETag is computed from): the query result, or the value itself. */
  public static Node readValue(Node value, RestParams params) {
    return params.ordered() ? QueryEngine.apply(params.query(), value) : value;
  }

  /**
   * A query's result at a node, children in index order: like {@link QueryEngine#apply}, a query without range
   * and limit returns the node itself (a leaf stays a leaf, its priority is kept), any other query on a leaf is
   * empty.
   */
  public static void writeQueryResult(QuerySpec query, Node node, JsonGenerator g, boolean export)
      throws IOException {
    if (!(node instanceof ChildrenNode)) {
      TreeJson.write(query.isDefault() ? node : Node.empty(), g, export);
      return;
    }
    List<Map.Entry<String, Node>> children = QueryEngine.orderedChildren(query, node);
    if (children.isEmpty()) {
      g.writeNull();
      return;
    }
    g.writeStartObject();
    for (Map.Entry<String, Node> e : children) {
      g.writeFieldName(e.getKey());
      TreeJson.write(e.getValue(), g, export);
    }
    Object priority = node.priority();
    if (export && query.isDefault() && priority != null) {
      g.writeFieldName(".priority");
      if (priority instanceof String s) {
        g.writeString(s);
      } else {
        TreeJson.writeNumber(((Number) priority).doubleValue(), g);
      }
    }
    g.writeEndObject();
  }

  /** A multi-path update echo: an object whose keys are the relative paths, as the client sent them. */
  public static byte[] update(Map<Path, Node> children, RestParams params) {
    return bytes(params, g -> {
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
    return bytes(params, g -> {
      g.writeStartObject();
      g.writeStringField("name", name);
      g.writeEndObject();
    });
  }

  /** Firebase's error body: {@code {"error":"<message>"}}. */
  public static byte[] error(String message) {
    return bytes(RestParams.DEFAULTS, g -> {
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

  private static byte[] bytes(RestParams params, Body body) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(64);
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

  /** Thrown by {@link BufferOutput} past its limit. */
  static final class TooLarge extends RuntimeException {
    TooLarge() {
      super("reply too large", null, false, false);
    }
  }

  /** An output stream into a Vert.x buffer (no final copy), failing past {@code limit} bytes. */
  static final class BufferOutput extends OutputStream {
    final Buffer buffer = Buffer.buffer(256);
    private final long limit;

    BufferOutput(long limit) {
      this.limit = limit;
    }

    private void ensure(int more) {
      if ((long) buffer.length() + more > limit) {
        throw new TooLarge();
      }
    }

    @Override
    public void write(int b) {
      ensure(1);
      buffer.appendByte((byte) b);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      ensure(len);
      buffer.appendBytes(b, off, len);
    }
  }
}
