package io.canopy.gateway.ws;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SegmentedStringWriter;
import com.fasterxml.jackson.core.util.BufferRecycler;
import io.canopy.core.json.TreeJson;
import io.canopy.core.tree.Node;
import io.canopy.gateway.ws.Outbound.Handshake;
import io.canopy.gateway.ws.Outbound.Pong;
import io.canopy.gateway.ws.Outbound.Reply;
import io.canopy.gateway.ws.Outbound.Shutdown;
import io.canopy.pusher.DataPush;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Writes outgoing items as protocol messages, each serialised once: the envelope and the tree go through one
 * generator into one string (a large value is never rendered to a string of its own first). Data is in the export
 * format ({@code .value}/{@code .priority}); paths have no leading slash, the root is {@code ""}. No data message
 * ever has an {@code error} key. Error texts are cut to {@value #MAX_ERROR_CHARS} characters: they may quote what
 * the client sent (a 16 MB key), and an error must never be bigger than the mistake.
 */
final class WireFormat {
  /** The longest error text sent (an error reply's {@code d}, a notice). */
  static final int MAX_ERROR_CHARS = 1_000;

  /**
   * A server error that belongs to no request (a binary frame, a message without a request number, a refused
   * piece count): {@code {"t":"c","d":{"t":"e","d":message}}}. The JS SDK logs it as "Server Error: ..."; the Java
   * SDK ignores control messages it doesn't know.
   */
  record Notice(String message) {}

  private WireFormat() {}

  /** The message for a {@link DataPush} or an {@link Outbound} item. */
  static String write(Object item) {
    // The factory's (thread-local) recycler, not a new one: the generator takes its buffers from the writer's
    // recycler, and a fresh recycler means a fresh 8 KB concat buffer per message (most of a push's garbage).
    BufferRecycler recycler = TreeJson.factory()._getBufferRecycler();
    try {
      return write(item, new SegmentedStringWriter(recycler));
    } finally {
      recycler.releaseToPool();
    }
  }

  private static String write(Object item, SegmentedStringWriter out) {
    try (JsonGenerator g = TreeJson.factory().createGenerator(out)) {
      g.writeStartObject();
      if (item instanceof DataPush push) {
        dataPush(push, g);
      } else if (item instanceof Reply reply) {
        reply(reply, g);
      } else if (item instanceof Handshake h) {
        control(g, "h", () -> {
          g.writeStartObject();
          g.writeNumberField("ts", h.timestamp());
          g.writeStringField("v", "5");
          g.writeStringField("h", h.host());
          g.writeStringField("s", h.sessionId());
          g.writeEndObject();
        });
      } else if (item instanceof Pong) {
        control(g, "o", () -> {
          g.writeStartObject();
          g.writeEndObject();
        });
      } else if (item instanceof Shutdown s) {
        control(g, "s", () -> g.writeString(s.reason()));
      } else if (item instanceof Notice n) {
        control(g, "e", () -> g.writeString(abbreviate(n.message())));
      } else {
        throw new IllegalArgumentException("not an outgoing item: " + item);
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      return out.getAndClear(); // after the generator closed (and flushed)
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code {"t":"d","d":{"a":"d"|"m","b":{"p":path,"d":data[,"t":tag]}}}}. */
  private static void dataPush(DataPush push, JsonGenerator g) throws IOException {
    g.writeStringField("t", "d");
    g.writeObjectFieldStart("d");
    g.writeStringField("a", push.isMerge() ? "m" : "d");
    g.writeObjectFieldStart("b");
    g.writeStringField("p", push.path().toRelativeString());
    g.writeFieldName("d");
    if (push.isMerge()) {
      g.writeStartObject();
      for (Map.Entry<String, Node> e : push.mergeChildren().entrySet()) {
        g.writeFieldName(e.getKey());
        TreeJson.write(e.getValue(), g, true);
      }
      g.writeEndObject();
    } else {
      TreeJson.write(push.data() == null ? Node.empty() : push.data(), g, true);
    }
    if (push.tag() != null) {
      g.writeNumberField("t", push.tag());
    }
    g.writeEndObject();
    g.writeEndObject();
  }

  /** {@code {"t":"d","d":{"r":r,"b":{"s":status,"d":data}}}}. */
  private static void reply(Reply reply, JsonGenerator g) throws IOException {
    g.writeStringField("t", "d");
    g.writeObjectFieldStart("d");
    g.writeNumberField("r", reply.r());
    g.writeObjectFieldStart("b");
    g.writeStringField("s", reply.status());
    g.writeFieldName("d");
    if (!Reply.OK.equals(reply.status()) && reply.data() instanceof String message) {
      g.writeString(abbreviate(message));
    } else {
      value(reply.data(), g);
    }
    g.writeEndObject();
    g.writeEndObject();
  }

  private interface Body {
    void write() throws IOException;
  }

  /** {@code {"t":"c","d":{"t":type,"d":body}}}. */
  private static void control(JsonGenerator g, String type, Body body) throws IOException {
    g.writeStringField("t", "c");
    g.writeObjectFieldStart("d");
    g.writeStringField("t", type);
    g.writeFieldName("d");
    body.write();
    g.writeEndObject();
  }

  private static void value(Object v, JsonGenerator g) throws IOException {
    TreeJson.writePlain(v, g);
  }

  /** {@code text} cut to {@value #MAX_ERROR_CHARS} characters (on a code-point boundary), marked with "...". */
  static String abbreviate(String text) {
    if (text == null || text.length() <= MAX_ERROR_CHARS) {
      return text == null ? "" : text;
    }
    int end = MAX_ERROR_CHARS - 3;
    if (Character.isHighSurrogate(text.charAt(end - 1))) {
      end--;
    }
    return text.substring(0, end) + "...";
  }
}
