package io.canopy.gateway.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.canopy.core.error.CanopyException;
import io.canopy.core.json.TreeJson;
import io.canopy.core.log.ChangeRecord;
import io.canopy.core.log.LogCodec;
import io.canopy.core.ops.WriteOp;
import io.canopy.core.path.Path;
import io.canopy.core.tree.Node;
import java.io.IOException;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A REST write turned into its op, ready for the write log, plus what its success reply needs. Building one
 * parses and validates the body: all bad input fails here, before anything is produced.
 *
 * @param op the write
 * @param data the parsed body of a PUT or POST (empty for DELETE)
 * @param update the parsed body of a PATCH, else null
 * @param pushId the generated child key of a POST, else null
 */
public record PreparedWrite(RestRequest request, WriteOp op, Node data, Map<Path, Node> update, String pushId) {

  static final String INVALID_JSON = "Invalid data; couldn't parse JSON object, array, or value.";

  /**
   * @param body the raw request body
   * @param pushIds the source of POST child keys
   * @throws CanopyException (400) for unparsable or invalid data
   */
  public static PreparedWrite of(RestRequest request, byte[] body, Supplier<String> pushIds) {
    return of(request, RequestBody.of(body), pushIds);
  }

  /**
   * Parses the body in one streaming pass over its bytes (never as a String) and validates it.
   *
   * @param pushIds the source of POST child keys
   * @throws CanopyException (400) for unparsable or invalid data
   */
  public static PreparedWrite of(RestRequest request, RequestBody body, Supplier<String> pushIds) {
    Path path = request.path();
    return switch (request.method()) {
      case PUT -> {
        Node data = parseValue(body);
        yield new PreparedWrite(request, new WriteOp.Set(path, data), data, null, null);
      }
      case POST -> {
        Node data = parseValue(body);
        String id = pushIds.get();
        yield new PreparedWrite(request, new WriteOp.Set(path.child(id), data), data, null, id);
      }
      case PATCH -> {
        Map<Path, Node> update = parseUpdate(body);
        yield new PreparedWrite(request, new WriteOp.Merge(path, update), Node.empty(), update, null);
      }
      case DELETE -> new PreparedWrite(request, new WriteOp.Set(path, Node.empty()), Node.empty(), null, null);
      case GET -> throw new IllegalArgumentException("GET is not a write");
    };
  }

  /** The body of a 200 reply to this write, given its accepted verdict. */
  public byte[] successBody(ChangeRecord verdict) {
    RestParams params = request.params();
    return switch (request.method()) {
      case PUT -> JsonReplies.value(WriteEcho.ofSet(op.path(), data, verdict.overwrites()), params);
      case POST -> JsonReplies.pushName(pushId, params);
      case PATCH -> JsonReplies.update(WriteEcho.ofUpdate(op.path(), update, verdict.overwrites()), params);
      case DELETE, GET -> JsonReplies.value(Node.empty(), params);
    };
  }

  /** The ETag of the value this write left at its path, when the reply can tell it (a PUT or DELETE of a node). */
  public String resultingETag(ChangeRecord verdict) {
    boolean wholeNode = (request.method() == RestMethod.PUT || request.method() == RestMethod.DELETE)
        && !op.path().isPriorityPath();
    return wholeNode ? ETags.of(WriteEcho.ofSet(op.path(), data, verdict.overwrites())) : null;
  }

  private static Node parseValue(RequestBody body) {
    try (JsonParser p = body.parser()) {
      JsonToken first = p.nextToken();
      if (first == null) {
        throw CanopyException.invalidData(INVALID_JSON);
      }
      Node data = TreeJson.parseValue(p, first);
      if (p.nextToken() != null) {
        throw CanopyException.invalidData(INVALID_JSON);
      }
      return data;
    } catch (JsonProcessingException e) {
      throw CanopyException.invalidData(INVALID_JSON + " " + e.getOriginalMessage());
    } catch (IOException e) {
      throw CanopyException.invalidData(INVALID_JSON);
    }
  }

  private static Map<Path, Node> parseUpdate(RequestBody body) {
    try (JsonParser p = body.parser()) {
      JsonToken first = p.nextToken();
      if (first == null) {
        throw CanopyException.invalidData(INVALID_JSON);
      }
      Map<Path, Node> update = LogCodec.readMergeBody(p, first);
      if (p.nextToken() != null) {
        throw CanopyException.invalidData(INVALID_JSON);
      }
      return update;
    } catch (JsonProcessingException e) {
      throw CanopyException.invalidData(INVALID_JSON + " " + e.getOriginalMessage());
    } catch (IOException e) {
      throw CanopyException.invalidData(INVALID_JSON);
    }
  }
}
