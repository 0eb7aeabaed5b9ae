package io.canopy.gateway.ws;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import io.canopy.core.error.CanopyException;
import io.canopy.core.error.ErrorCode;
import io.canopy.core.json.TreeJson;
import io.canopy.core.log.LogCodec;
import io.canopy.core.path.Path;
import io.canopy.core.tree.Node;
import io.canopy.gateway.ws.ClientMessage.Control;
import io.canopy.gateway.ws.ClientMessage.Request;
import io.canopy.gateway.ws.ClientMessage.Unusable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses one client message in a single streaming pass. Key order is not assumed (the Java SDK serialises hash
 * maps), but the usual order (action before body) lets the data be parsed straight into a tree; a body that comes
 * before its action is buffered as tokens and parsed once the action is known. Bad data in a body does not lose
 * the request: the rest of the message is still read, so the error can be answered on its {@code r}. Never throws.
 */
final class MessageParser {
  /** Actions whose {@code b.d} is a value to set. */
  private static final Set<String> SET_DATA = Set.of("p", "o");
  /** Actions whose {@code b.d} is a multi-path update. */
  private static final Set<String> MERGE_DATA = Set.of("m", "om");

  private MessageParser() {}

  /** What {@code text} asks for, or why it can't be acted on. */
  static ClientMessage parse(String text) {
    Fields f = new Fields();
    try (JsonParser p = TreeJson.factory().createParser(text)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return new Unusable(null, ErrorCode.INVALID_DATA, "Invalid message: not a JSON object");
      }
      readEnvelope(p, f);
      if (p.nextToken() != null) {
        return new Unusable(f.r, ErrorCode.INVALID_DATA, "Invalid message: content after the JSON object");
      }
    } catch (JsonProcessingException e) {
      return new Unusable(f.r, ErrorCode.INVALID_DATA, "Invalid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      return new Unusable(f.r, ErrorCode.INVALID_DATA, "Invalid JSON: " + e.getMessage());
    } catch (CanopyException e) {
      return new Unusable(f.r, e.code(), e.getMessage());
    }
    return f.toMessage();
  }

  /**
   * The answer to a message longer than the limit, of which only {@code prefix} was kept: {@code too_big} on its
   * request number when the prefix shows it (both SDKs put {@code r} before the body).
   */
  static Unusable tooBig(String prefix, int maxChars) {
    Fields f = new Fields();
    try (JsonParser p = TreeJson.factory().createParser(prefix)) {
      if (p.nextToken() == JsonToken.START_OBJECT) {
        readEnvelope(p, f);
      }
    } catch (IOException | CanopyException e) {
      // expected: the prefix ends mid-message
    }
    return new Unusable(f.r, ErrorCode.PAYLOAD_TOO_LARGE,
        "Message too large: the limit is " + maxChars + " characters");
  }

  private static void readEnvelope(JsonParser p, Fields f) throws IOException {
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken v = p.nextToken();
      if (name.equals("t") && v == JsonToken.VALUE_STRING) {
        f.envelope = p.getText();
      } else if (name.equals("d") && v == JsonToken.START_OBJECT) {
        readInner(p, f);
      } else {
        p.skipChildren();
      }
    }
  }

  /** The inner object of a request ({@code r, a, b}) or of a control message ({@code t, d}). */
  private static void readInner(JsonParser p, Fields f) throws IOException {
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken v = p.nextToken();
      switch (name) {
        case "r" -> f.r = integral(p, v);
        case "a" -> f.action = v == JsonToken.VALUE_STRING ? p.getText() : null;
        case "t" -> f.controlType = v == JsonToken.VALUE_STRING ? p.getText() : null;
        case "b" -> {
          if (v == JsonToken.START_OBJECT) {
            readBody(p, f);
          } else {
            p.skipChildren();
          }
        }
        default -> p.skipChildren();
      }
    }
  }

  private static void readBody(JsonParser p, Fields f) throws IOException {
    JsonStreamContext body = p.getParsingContext();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken v = p.nextToken();
      switch (name) {
        case "p" -> {
          if (v == JsonToken.VALUE_STRING) {
            f.path = p.getText();
          } else {
            f.problem(CanopyException.invalidPath("Invalid path: \"p\" must be a string"));
            p.skipChildren();
          }
        }
        case "h" -> {
          if (v == JsonToken.VALUE_STRING) {
            f.hash = p.getText();
          } else if (v != JsonToken.VALUE_NULL) {
            f.problem(CanopyException.invalidData("Invalid request: \"h\" must be a string"));
            p.skipChildren();
          }
        }
        case "t" -> {
          f.tag = integral(p, v);
          if (f.tag == null && v != JsonToken.VALUE_NULL) {
            f.problem(new CanopyException(ErrorCode.INVALID_QUERY, "Invalid query: the tag \"t\" must be an integer"));
          }
        }
        case "q" -> {
          if (v == JsonToken.START_OBJECT) {
            f.query = readObject(p);
          } else if (v != JsonToken.VALUE_NULL) {
            f.problem(new CanopyException(ErrorCode.INVALID_QUERY, "Invalid query: \"q\" must be an object"));
            p.skipChildren();
          }
        }
        case "d" -> readData(p, v, f, body);
        case "cred" -> {
          if (v == JsonToken.VALUE_STRING) {
            f.cred = p.getText();
          } else {
            p.skipChildren();
          }
        }
        default -> p.skipChildren();
      }
    }
  }

  private static void readData(JsonParser p, JsonToken first, Fields f, JsonStreamContext body) throws IOException {
    f.hasData = true;
    if (f.action == null) {
      TokenBuffer buffered = new TokenBuffer(p);
      buffered.copyCurrentStructure(p);
      f.deferredData = buffered;
      return;
    }
    try {
      readData(p, first, f);
    } catch (CanopyException e) {
      f.problem(e);
      while (p.getParsingContext() != body) { // skip the rest of the bad value, then read on
        if (p.nextToken() == null) {
          return;
        }
      }
    }
  }

  private static void readData(JsonParser p, JsonToken first, Fields f) throws IOException {
    if (SET_DATA.contains(f.action)) {
      f.data = TreeJson.parseValue(p, first);
    } else if (MERGE_DATA.contains(f.action)) {
      f.update = LogCodec.readMergeBody(p, first);
    } else {
      p.skipChildren();
    }
  }

  /** An integral JSON number as a long (5.0 counts), else null. */
  private static Long integral(JsonParser p, JsonToken v) throws IOException {
    if (v == JsonToken.VALUE_NUMBER_INT) {
      return p.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? null : p.getLongValue();
    }
    if (v == JsonToken.VALUE_NUMBER_FLOAT) {
      double d = p.getDoubleValue();
      return d == Math.rint(d) && Math.abs(d) < 0x1p63 ? (long) d : null;
    }
    p.skipChildren();
    return null;
  }

  private static Map<String, Object> readObject(JsonParser p) throws IOException {
    Map<String, Object> map = new LinkedHashMap<>();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      map.put(name, readGeneric(p, p.nextToken()));
    }
    return map;
  }

  /** A plain JSON value: Map, List, String, Long, Double, Boolean or null. */
  private static Object readGeneric(JsonParser p, JsonToken t) throws IOException {
    return switch (t) {
      case START_OBJECT -> readObject(p);
      case START_ARRAY -> {
        List<Object> list = new ArrayList<>();
        JsonToken e;
        while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
          list.add(readGeneric(p, e));
        }
        yield list;
      }
      case VALUE_STRING -> p.getText();
      case VALUE_NUMBER_INT -> p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
          ? (Object) p.getDoubleValue() : (Object) p.getLongValue();
      case VALUE_NUMBER_FLOAT -> p.getDoubleValue();
      case VALUE_TRUE -> Boolean.TRUE;
      case VALUE_FALSE -> Boolean.FALSE;
      default -> null;
    };
  }

  /** What has been read so far; kept outside the parse so a late syntax error still knows the request number. */
  private static final class Fields {
    String envelope;
    String controlType;
    Long r;
    String action;
    String path;
    String hash;
    Long tag;
    Map<String, Object> query;
    boolean hasData;
    Node data;
    Map<Path, Node> update;
    TokenBuffer deferredData;
    String cred;
    CanopyException problem;

    void problem(CanopyException e) {
      if (problem == null) {
        problem = e;
      }
    }

    ClientMessage toMessage() {
      if ("c".equals(envelope)) {
        return new Control(controlType == null ? "" : controlType);
      }
      if (r == null) {
        return new Unusable(null, ErrorCode.INVALID_DATA, "Invalid message: no integer request number \"r\"");
      }
      if (!"d".equals(envelope)) {
        return new Unusable(r, ErrorCode.INVALID_DATA, "Invalid message: \"t\" must be \"d\" or \"c\"");
      }
      if (action == null) {
        return new Unusable(r, ErrorCode.INVALID_DATA, "Invalid request: no action \"a\"");
      }
      if (problem == null && deferredData != null) {
        try (JsonParser p = deferredData.asParser()) {
          readData(p, p.nextToken(), this);
        } catch (CanopyException e) {
          problem = e;
        } catch (IOException e) {
          problem = CanopyException.invalidData("Invalid data: " + e.getMessage());
        }
      }
      if (problem != null) {
        return new Unusable(r, problem.code(), problem.getMessage());
      }
      if ((SET_DATA.contains(action) || MERGE_DATA.contains(action)) && !hasData) {
        return new Unusable(r, ErrorCode.INVALID_DATA, "Invalid request: no data \"d\"");
      }
      return new Request(r, action, path, hash, tag, query, data, update, cred);
    }
  }
}
