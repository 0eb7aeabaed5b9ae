package io.canopy.gateway.rest;

import io.canopy.core.error.CanopyException;
import io.canopy.core.error.ErrorCode;
import java.util.Locale;

/** The verbs of the REST API. */
public enum RestMethod {
  GET, PUT, POST, PATCH, DELETE;

  /** Header by which clients that can only POST ask for another verb (Firebase REST). */
  public static final String OVERRIDE_HEADER = "X-HTTP-Method-Override";

  public boolean isWrite() {
    return this != GET;
  }

  /**
   * The verb a request asks for: its HTTP method, or on a POST the {@value #OVERRIDE_HEADER} header.
   *
   * @return null if the HTTP method is not part of the API (the caller answers 405)
   * @throws CanopyException (400) for an override naming an unsupported verb
   */
  public static RestMethod effective(String httpMethod, String override) {
    RestMethod method = byName(httpMethod);
    if (method != POST || override == null || override.isBlank()) {
      return method;
    }
    RestMethod overridden = byName(override.trim().toUpperCase(Locale.ROOT));
    if (overridden == null) {
      throw new CanopyException(ErrorCode.INVALID_QUERY,
          "Invalid " + OVERRIDE_HEADER + " header \"" + override + "\": use GET, PUT, PATCH or DELETE");
    }
    return overridden;
  }

  private static RestMethod byName(String name) {
    for (RestMethod m : values()) {
      if (m.name().equals(name)) {
        return m;
      }
    }
    return null;
  }
}
