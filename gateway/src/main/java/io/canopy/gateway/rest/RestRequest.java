package io.canopy.gateway.rest;

import io.canopy.core.error.CanopyException;
import io.canopy.core.error.ErrorCode;
import io.canopy.core.path.Path;
import io.canopy.gateway.ns.NamespaceResolver;
import java.util.Locale;
import java.util.function.Function;

/**
 * One parsed REST request, everything but its body. Parsed before the body is read, so bad requests are refused
 * without buffering what they send.
 *
 * @param method the effective verb (after {@code X-HTTP-Method-Override})
 * @param namespace the tree it addresses
 * @param path the tree path; may end in {@code .priority}
 * @param params the query parameters
 * @param credential the request's credential (extracted by {@link #parse}, verified by {@link RestHandler}; rules
 *     are not enforced yet)
 * @param stream a GET with {@code Accept: text/event-stream}: a streaming listen
 * @param wantsETag {@code X-Firebase-ETag: true} was sent
 * @param expectedHash from {@code if-match}: the hash the current value must have ("" = absent), or null
 * @param ifNoneMatch the {@code if-none-match} header of a GET, or null
 */
public record RestRequest(
    RestMethod method,
    String namespace,
    Path path,
    RestParams params,
    Credential credential,
    boolean stream,
    boolean wantsETag,
    String expectedHash,
    String ifNoneMatch) {

  /** The media type of Firebase's REST streaming. */
  public static final String EVENT_STREAM = "text/event-stream";

  /**
   * Parses a request whose path is a data path ({@link RestPaths#isDataPath}) and whose method is part of the API.
   *
   * @param query the first value of a query parameter, or null
   * @param header a request header (case-insensitive), or null
   * @throws CanopyException with the 400- or 401-class error to answer
   */
  public static RestRequest parse(RestMethod method, String rawPath, Function<String, String> query,
      Function<String, String> header, NamespaceResolver namespaces) {
    Path path = RestPaths.toTreePath(rawPath);
    String namespace = namespaces.resolve(query.apply("ns"), header.apply("Host"));
    RestParams params = RestParams.parse(query);
    Credential credential = Credential.parse(query.apply("auth"), query.apply("access_token"),
        header.apply("Authorization"));
    String ifMatch = header.apply("if-match");
    if (ifMatch != null && method != RestMethod.PUT && method != RestMethod.DELETE) {
      throw new CanopyException(ErrorCode.INVALID_QUERY, "if-match is only supported on PUT and DELETE requests");
    }
    if (path.isPriorityPath() && (method == RestMethod.POST || method == RestMethod.PATCH)) {
      throw CanopyException.invalidPath("Invalid path: can't " + method + " to a .priority path");
    }
    if (params.shallow() && method != RestMethod.GET) {
      throw new CanopyException(ErrorCode.INVALID_QUERY, "shallow is only supported on GET requests");
    }
    if (params.ordered() && method != RestMethod.GET) {
      throw new CanopyException(ErrorCode.INVALID_QUERY,
          "Queries (orderBy, startAt, endAt, equalTo, limitToFirst, limitToLast) are only supported on GET requests");
    }
    boolean stream = method == RestMethod.GET && acceptsEventStream(header.apply("Accept"));
    if (stream && params.shallow()) {
      throw new CanopyException(ErrorCode.INVALID_QUERY, "shallow is not supported on streaming requests");
    }
    if (stream && path.isPriorityPath()) {
      throw CanopyException.invalidPath("Invalid path: can't stream a .priority path; stream its node instead");
    }
    return new RestRequest(method, namespace, path, params, credential, stream,
        ETags.requested(header.apply(ETags.REQUEST_HEADER)),
        ifMatch == null ? null : ETags.expectedHash(ifMatch),
        method == RestMethod.GET ? header.apply("if-none-match") : null);
  }

  /** A copy carrying {@code c} (the verified credential). */
  public RestRequest withCredential(Credential c) {
    return new RestRequest(method, namespace, path, params, c, stream, wantsETag, expectedHash, ifNoneMatch);
  }

  /** The node path without a final {@code .priority}. */
  public Path nodePath() {
    return path.isPriorityPath() ? path.parent() : path;
  }

  /** The largest body this request may send: the gateway's limit, lowered by {@code writeSizeLimit}. */
  public long bodyLimit(long gatewayLimit) {
    WriteSizeLimit w = params.writeSizeLimit();
    return w == null ? gatewayLimit : w.maxBodyBytes(gatewayLimit);
  }

  static boolean acceptsEventStream(String accept) {
    return accept != null && accept.toLowerCase(Locale.ROOT).contains(EVENT_STREAM);
  }
}
