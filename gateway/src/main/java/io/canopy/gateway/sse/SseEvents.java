package io.canopy.gateway.sse;

import com.fasterxml.jackson.core.JsonGenerator;
import io.canopy.core.json.TreeJson;
import io.canopy.core.tree.Node;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The frames of a Firebase event stream: {@code event: <type>\ndata: <json>\n\n}, the JSON always compact (so
 * it is one {@code data:} line: JSON escapes every line break inside strings).
 *
 * <ul>
 *   <li>{@code put} {@code {"path":p,"data":d}}: replace the value at the stream's location + p ({@code null}
 *       deletes); p is {@code /}-prefixed and relative to the stream's location;
 *   <li>{@code patch} {@code {"path":p,"data":{k:v,...}}}: set each k (a relative path) under p;
 *   <li>{@code keep-alive} {@code null}; {@code cancel} and {@code auth_revoked} with a message string.
 * </ul>
 */
public final class SseEvents {
  public static final String CONTENT_TYPE = "text/event-stream";
  public static final String PUT = "put";
  public static final String PATCH = "patch";
  public static final String KEEP_ALIVE = "keep-alive";
  public static final String CANCEL = "cancel";
  public static final String AUTH_REVOKED = "auth_revoked";

  private static final byte[] KEEP_ALIVE_FRAME = "event: keep-alive\ndata: null\n\n".getBytes(StandardCharsets.UTF_8);

  private SseEvents() {}

  /** Writes a JSON value (the {@code data} of a put). */
  @FunctionalInterface
  public interface JsonValue {
    void writeTo(JsonGenerator g) throws IOException;
  }

  /** An event whose frame would exceed the stream's limit (Firebase cancels such a stream). */
  public static final class TooLarge extends RuntimeException {
    TooLarge() {
      super("event too large", null, false, false);
    }
  }

  /**
   * Sets the head of an event-stream response (written with the first event): 200, the media type, no caching,
   * no compression (a compressor would hold events back), chunked.
   */
  public static void startResponse(HttpServerResponse response) {
    response.setStatusCode(200)
        .setChunked(true)
        .putHeader("Content-Type", CONTENT_TYPE)
        .putHeader("Cache-Control", "no-cache")
        .putHeader("Content-Encoding", "identity")
        .putHeader("X-Accel-Buffering", "no");
  }

  /** A {@code put} of {@code data} at {@code path}; fails with {@link TooLarge} past {@code maxBytes}. */
  public static Buffer put(String path, JsonValue data, long maxBytes) {
    return frame(PUT, g -> {
      g.writeStartObject();
      g.writeStringField("path", path);
      g.writeFieldName("data");
      data.writeTo(g);
      g.writeEndObject();
    }, maxBytes);
  }

  /** A {@code put} of a node (priorities only with {@code export}). */
  public static Buffer put(String path, Node data, boolean export, long maxBytes) {
    return put(path, g -> TreeJson.write(data, g, export), maxBytes);
  }

  /** A {@code patch} at {@code path}: each relative path of {@code children} gets its value. */
  public static Buffer patch(String path, Map<String, Node> children, boolean export, long maxBytes) {
    return frame(PATCH, g -> {
      g.writeStartObject();
      g.writeStringField("path", path);
      g.writeFieldName("data");
      g.writeStartObject();
      for (Map.Entry<String, Node> e : children.entrySet()) {
        g.writeFieldName(e.getKey());
        TreeJson.write(e.getValue(), g, export);
      }
      g.writeEndObject();
      g.writeEndObject();
    }, maxBytes);
  }

  public static Buffer keepAlive() {
    return Buffer.buffer(KEEP_ALIVE_FRAME);
  }

  /** {@code cancel}: the stream ends (read permission lost, payload too large). */
  public static Buffer cancel(String message) {
    return message(CANCEL, message);
  }

  /** {@code auth_revoked}: the credential expired or was revoked; the client reconnects with a fresh one. */
  public static Buffer authRevoked(String message) {
    return message(AUTH_REVOKED, message);
  }

  /** An event whose data is a JSON string (or null). */
  public static Buffer message(String event, String message) {
    return frame(event, g -> {
      if (message == null) {
        g.writeNull();
      } else {
        g.writeString(message);
      }
    }, Long.MAX_VALUE);
  }

  private static Buffer frame(String event, JsonValue data, long maxBytes) {
    Buffer out = Buffer.buffer(64);
    out.appendString("event: ").appendString(event).appendString("\ndata: ");
    BoundedOutput sink = new BoundedOutput(out, maxBytes);
    try (JsonGenerator g = TreeJson.factory().createGenerator(sink)) {
      data.writeTo(g);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.appendString("\n\n");
  }

  /** Appends to a buffer, failing once it holds more than {@code limit} bytes. */
  private static final class BoundedOutput extends OutputStream {
    private final Buffer buffer;
    private final long limit;

    BoundedOutput(Buffer buffer, long limit) {
      this.buffer = buffer;
      this.limit = limit;
    }

    @Override
    public void write(int b) {
      check(1);
      buffer.appendByte((byte) b);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      check(len);
      buffer.appendBytes(b, off, len);
    }

    private void check(int more) {
      if ((long) buffer.length() + more > limit) {
        throw new TooLarge();
      }
    }
  }
}
