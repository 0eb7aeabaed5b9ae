package io.canopy.gateway.rest;

import io.canopy.core.error.CanopyException;
import io.canopy.core.error.ErrorCode;
import io.canopy.core.path.Path;
import io.canopy.gateway.ns.NamespaceResolver;
import java.util.function.Function;

/**
 * One parsed REST request, everything but its body.
 *
 * @param method the effective verb (after {@code X-HTTP-Method-Override})
 * @param namespace the tree it addresses
 * @param path the tree path; may end in {@code .priority}
 * @param params the reply-shaping parameters
 * @param wantsETag {@code X-Firebase-ETag: true} was sent
 * @param expectedHash from {@code if-match}: the hash the current value must have ("" = absent), or null
 * @param ifNoneMatch the {@code if-none-match} header of a GET, or null
 */
public record RestRequest(
    RestMethod method,
    String namespace,
    Path path,
    RestParams params,
    boolean wantsETag,
    String expectedHash,
    String ifNoneMatch) {

  /**
   * Parses a request whose path is a data path ({@link RestPaths#isDataPath}) and whose method is part of the API.
   *
   * @param query the first value of a query parameter, or null
   * @param header a request header (case-insensitive), or null
   * @throws CanopyException with the 400-class error to answer
   */
  public static RestRequest parse(RestMethod method, String rawPath, Function<String, String> query,
      Function<String, String> header, NamespaceResolver namespaces) {
    Path path = RestPaths.toTreePath(rawPath);
    String namespace = namespaces.resolve(query.apply("ns"), header.apply("Host"));
    RestParams params = RestParams.parse(query);
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
    return new RestRequest(method, namespace, path, params, ETags.requested(header.apply(ETags.REQUEST_HEADER)),
        ifMatch == null ? null : ETags.expectedHash(ifMatch),
        method == RestMethod.GET ? header.apply("if-none-match") : null);
  }

  /** The node path without a final {@code .priority}. */
  public Path nodePath() {
    return path.isPriorityPath() ? path.parent() : path;
  }
}
