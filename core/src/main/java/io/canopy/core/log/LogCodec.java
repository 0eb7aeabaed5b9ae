package io.canopy.core.log;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.canopy.core.error.CanopyException;
import io.canopy.core.error.ErrorCode;
import io.canopy.core.json.TreeJson;
import io.canopy.core.ops.Overwrite;
import io.canopy.core.ops.WriteOp;
import io.canopy.core.path.Path;
import io.canopy.core.rules.AuthContext;
import io.canopy.core.rules.Caller;
import io.canopy.core.tree.Node;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Byte codecs of both topics' record values: compact JSON with one-letter fields (version {@code v}), data in
 * the export format. Decoding failures throw {@link CanopyException} (invalid_data).
 *
 * <pre>
 * write:  {"v":1,"ns":"demo","op":"s"|"m","p":"/a","d":&lt;data or {rel:data}&gt;,"h":"&lt;hash&gt;","g":"gw","r":7,
 *          "a":1 (admin) | "u":{"uid":"..","pv":"password","t":{claims}} (user) | neither (unauthenticated)}
 * change: {"v":1,"ns":"demo","sp":0,"so":42,"ts":1732300000000,"g":"gw","r":7,
 *          "e":"datastale","m":"...","w":[{"p":"/a","d":&lt;data&gt;},...]}
 * </pre>
 */
public final class LogCodec {
  private static final JsonFactory JSON = TreeJson.factory();

  private LogCodec() {}

  public static byte[] encode(WriteRecord w) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(128);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeNumberField("v", 1);
      g.writeStringField("ns", w.namespace());
      g.writeStringField("p", w.op().path().toString());
      if (w.op() instanceof WriteOp.Set set) {
        g.writeStringField("op", "s");
        g.writeFieldName("d");
        TreeJson.write(set.data(), g, true);
      } else {
        WriteOp.Merge merge = (WriteOp.Merge) w.op();
        g.writeStringField("op", "m");
        g.writeFieldName("d");
        g.writeStartObject();
        for (Map.Entry<Path, Node> e : merge.children().entrySet()) {
          g.writeFieldName(e.getKey().toRelativeString());
          TreeJson.write(e.getValue(), g, true);
        }
        g.writeEndObject();
      }
      if (w.expectedHash() != null) {
        g.writeStringField("h", w.expectedHash());
      }
      writeOrigin(g, w.origin());
      writeCaller(g, w.caller());
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static void writeCaller(JsonGenerator g, Caller caller) throws IOException {
    if (caller.admin()) {
      g.writeNumberField("a", 1);
    } else if (caller.user() != null) {
      AuthContext u = caller.user();
      g.writeObjectFieldStart("u");
      g.writeStringField("uid", u.uid());
      if (u.provider() != null) {
        g.writeStringField("pv", u.provider());
      }
      g.writeFieldName("t");
      TreeJson.writePlain(u.token(), g);
      g.writeEndObject();
    }
  }



  private static Caller readUser(JsonParser p, JsonToken t) throws IOException {
    expect(t, JsonToken.START_OBJECT);
    String uid = null;
    String provider = null;
    Map<String, Object> claims = Map.of();
    while ((t = p.nextToken()) != JsonToken.END_OBJECT) {
      String f = p.currentName();
      t = p.nextToken();
      switch (f) {
        case "uid" -> uid = p.getText();
        case "pv" -> provider = p.getText();
        case "t" -> {
          @SuppressWarnings("unchecked")
          Map<String, Object> m = t == JsonToken.START_OBJECT ? (Map<String, Object>) readClaim(p, t) : Map.of();
          claims = m;
        }
        default -> p.skipChildren();
      }
    }
    if (uid == null) {
      throw CanopyException.invalidData("write record's user lacks a uid");
    }
    return Caller.user(new AuthContext(uid, provider, claims));
  }

  private static Object readClaim(JsonParser p, JsonToken t) throws IOException {
    switch (t) {
      case START_OBJECT -> {
        Map<String, Object> m = new LinkedHashMap<>();
        while ((t = p.nextToken()) != JsonToken.END_OBJECT) {
          String key = p.currentName();
          m.put(key, readClaim(p, p.nextToken()));
        }
        return m;
      }
      case START_ARRAY -> {
        List<Object> l = new ArrayList<>();
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
          l.add(readClaim(p, t));
        }
        return l;
      }
      case VALUE_STRING -> {
        return p.getText();
      }
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
        return p.getDoubleValue();
      }
      case VALUE_TRUE -> {
        return Boolean.TRUE;
      }
      case VALUE_FALSE -> {
        return Boolean.FALSE;
      }
      default -> {
        return null;
      }
    }
  }

  public static WriteRecord decodeWrite(byte[] bytes) {
    try (JsonParser p = JSON.createParser(bytes)) {
      expect(p.nextToken(), JsonToken.START_OBJECT);
      String ns = null;
      String op = null;
      String path = null;
      String hash = null;
      String gateway = "";
      long request = 0;
      Node data = null;
      Map<Path, Node> merge = null;
      Caller caller = Caller.ANONYMOUS;
      JsonToken t;
      while ((t = p.nextToken()) != JsonToken.END_OBJECT) {
        String field = p.currentName();
        t = p.nextToken();
        switch (field) {
          case "ns" -> ns = p.getText();
          case "op" -> op = p.getText();
          case "p" -> path = p.getText();
          case "h" -> hash = p.getText();
          case "g" -> gateway = p.getText();
          case "r" -> request = p.getLongValue();
          case "a" -> caller = p.getIntValue() == 1 ? Caller.ADMIN : Caller.ANONYMOUS;
          case "u" -> caller = readUser(p, t);
          case "d" -> {
            // The op field is written before d, so we know how to read it.
            if ("m".equals(op)) {
              merge = readMergeBody(p, t);
            } else {
              data = TreeJson.parseValue(p, t);
            }
          }
          default -> p.skipChildren();
        }
      }
      if (ns == null || path == null || op == null) {
        throw CanopyException.invalidData("write record lacks ns, p or op");
      }
      Path at = Path.parseWrite(path);
      WriteOp writeOp = switch (op) {
        case "s" -> new WriteOp.Set(at, data == null ? Node.empty() : data);
        case "m" -> new WriteOp.Merge(at, merge == null ? Map.of() : merge);
        default -> throw CanopyException.invalidData("unknown write op " + op);
      };
      return new WriteRecord(ns, writeOp, hash, new Origin(gateway, request), caller);
    } catch (IOException e) {
      throw CanopyException.invalidData("undecodable write record: " + e.getMessage());
    }
  }

  /** Reads a multi-location update body: an object whose keys are relative paths. */
  public static Map<Path, Node> readMergeBody(JsonParser p, JsonToken t) throws IOException {
    if (t != JsonToken.START_OBJECT) {
      throw CanopyException.invalidData("Invalid data; an update must be a JSON object");
    }
    Map<Path, Node> children = new LinkedHashMap<>();
    while ((t = p.nextToken()) != JsonToken.END_OBJECT) {
      String key = p.currentName();
      t = p.nextToken();
      children.put(Path.parseWrite(key), TreeJson.parseValue(p, t));
    }
    return children;
  }

  public static byte[] encode(ChangeRecord c) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(128);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeNumberField("v", 1);
      g.writeStringField("ns", c.namespace());
      g.writeNumberField("sp", c.sourcePartition());
      g.writeNumberField("so", c.sourceOffset());
      g.writeNumberField("ts", c.timestamp());
      if (c.epoch() != 0) {
        g.writeNumberField("ep", c.epoch());
      }
      writeOrigin(g, c.origin());
      if (c.error() != null) {
        g.writeStringField("e", c.error().name());
        if (c.message() != null) {
          g.writeStringField("m", c.message());
        }
      }
      g.writeArrayFieldStart("w");
      for (Overwrite o : c.overwrites()) {
        g.writeStartObject();
        g.writeStringField("p", o.path().toString());
        g.writeFieldName("d");
        TreeJson.write(o.value(), g, true);
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  public static ChangeRecord decodeChange(byte[] bytes) {
    try (JsonParser p = JSON.createParser(bytes)) {
      expect(p.nextToken(), JsonToken.START_OBJECT);
      String ns = null;
      int sp = 0;
      long so = 0;
      long ts = 0;
      String gateway = "";
      long request = 0;
      ErrorCode error = null;
      String message = null;
      long epoch = 0;
      List<Overwrite> writes = new ArrayList<>();
      JsonToken t;
      while ((t = p.nextToken()) != JsonToken.END_OBJECT) {
        String field = p.currentName();
        t = p.nextToken();
        switch (field) {
          case "ns" -> ns = p.getText();
          case "sp" -> sp = p.getIntValue();
          case "so" -> so = p.getLongValue();
          case "ts" -> ts = p.getLongValue();
          case "ep" -> epoch = p.getLongValue();
          case "g" -> gateway = p.getText();
          case "r" -> request = p.getLongValue();
          case "e" -> error = ErrorCode.valueOf(p.getText());
          case "m" -> message = p.getText();
          case "w" -> {
            expect(t, JsonToken.START_ARRAY);
            while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
              expect(t, JsonToken.START_OBJECT);
              String path = null;
              Node value = Node.empty();
              while ((t = p.nextToken()) != JsonToken.END_OBJECT) {
                String f = p.currentName();
                t = p.nextToken();
                if ("p".equals(f)) {
                  path = p.getText();
                } else if ("d".equals(f)) {
                  value = TreeJson.parseValue(p, t);
                } else {
                  p.skipChildren();
                }
              }
              writes.add(new Overwrite(Path.parse(path), value));
            }
          }
          default -> p.skipChildren();
        }
      }
      if (ns == null) {
        throw CanopyException.invalidData("change record lacks ns");
      }
      return new ChangeRecord(ns, sp, so, ts, new Origin(gateway, request), error, message, writes, epoch);
    } catch (IOException e) {
      throw CanopyException.invalidData("undecodable change record: " + e.getMessage());
    }
  }

  private static void writeOrigin(JsonGenerator g, Origin origin) throws IOException {
    if (!origin.gateway().isEmpty()) {
      g.writeStringField("g", origin.gateway());
      g.writeNumberField("r", origin.request());
    }
  }

  private static void expect(JsonToken actual, JsonToken expected) {
    if (actual != expected) {
      throw CanopyException.invalidData("expected " + expected + " but found " + actual);
    }
  }
}
