package io.canopy.gateway.ws;

import com.fasterxml.jackson.core.JsonGenerator;
import io.canopy.core.json.TreeJson;
import io.canopy.core.query.QuerySpec;
import io.canopy.pusher.ListenRevoked;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/**
 * The pushes that take access away (PROTOCOL §2.4): {@code c} when a listen is revoked, {@code ac} when the
 * connection's credential is revoked or expires.
 */
final class AccessPushes {

  /** The connection's credential stopped being valid: {@code {"a":"ac","b":{"s":status,"d":reason}}}. */
  record AuthRevoked(String status, String reason) {}

  private AccessPushes() {}

  /** True for the items this class renders. */
  static boolean handles(Object item) {
    return item instanceof ListenRevoked || item instanceof AuthRevoked;
  }

  static String write(Object item) {
    StringWriter out = new StringWriter(96);
    try (JsonGenerator g = TreeJson.factory().createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("t", "d");
      g.writeObjectFieldStart("d");
      if (item instanceof ListenRevoked revoked) {
        g.writeStringField("a", "c");
        g.writeObjectFieldStart("b");
        g.writeStringField("p", revoked.path().toRelativeString());
        if (revoked.query() != null && !revoked.query().equals(QuerySpec.DEFAULT)) {
          g.writeFieldName("q");
          TreeJson.writePlain(revoked.query().toWire(), g);
        }
        g.writeEndObject();
      } else if (item instanceof AuthRevoked ac) {
        g.writeStringField("a", "ac");
        g.writeObjectFieldStart("b");
        g.writeStringField("s", ac.status());
        g.writeStringField("d", ac.reason());
        g.writeEndObject();
      } else {
        throw new IllegalArgumentException("not an access push: " + item);
      }
      g.writeEndObject();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }
}
