package io.canopy.gateway.rest;

import io.canopy.core.error.CanopyException;
import io.canopy.core.error.ErrorCode;
import java.util.List;
import java.util.function.Function;

/**
 * The query parameters that shape a REST reply. Unknown parameters are ignored, as Firebase does ({@code auth}
 * is accepted and not yet checked). Query filters are refused rather than ignored: answering a filtered read with
 * unfiltered data would silently give clients the wrong children.
 *
 * @param print how to print the reply
 * @param export include priorities ({@code format=export})
 * @param shallow a GET returns child keys only ({@code shallow=true})
 */
public record RestParams(Print print, boolean export, boolean shallow) {

  public static final RestParams DEFAULTS = new RestParams(Print.COMPACT, false, false);

  /** Filters that need {@code orderBy} (Firebase's rule). */
  static final List<String> FILTERS = List.of("startAt", "endAt", "equalTo", "limitToFirst", "limitToLast",
      "startAfter", "endBefore");

  public enum Print {
    /** The default: compact JSON. */
    COMPACT,
    /** {@code print=pretty}: indented JSON. */
    PRETTY,
    /** {@code print=silent}: 204 and no body. */
    SILENT
  }

  /**
   * Parses the parameters of one request.
   *
   * @param param the first value of a query parameter, or null if absent
   * @throws CanopyException invalid_query (400) for values Firebase rejects
   */
  public static RestParams parse(Function<String, String> param) {
    Print print = switch (valueOr(param, "print", "")) {
      case "" -> Print.COMPACT;
      case "pretty" -> Print.PRETTY;
      case "silent" -> Print.SILENT;
      default -> throw invalid("print must be \"pretty\" or \"silent\"");
    };
    String format = param.apply("format");
    if (format != null && !format.equals("export")) {
      throw invalid("format must be \"export\"");
    }
    boolean shallow = switch (valueOr(param, "shallow", "false")) {
      case "true" -> true;
      case "false" -> false;
      default -> throw invalid("shallow must be true or false");
    };
    boolean ordered = param.apply("orderBy") != null;
    for (String filter : FILTERS) {
      if (param.apply(filter) != null && !ordered) {
        throw invalid("orderBy must be defined when other query parameters are defined");
      }
    }
    if (ordered) {
      throw invalid("Queries (orderBy, startAt, endAt, equalTo, limitToFirst, limitToLast) are not supported yet");
    }
    return new RestParams(print, format != null, shallow);
  }

  private static String valueOr(Function<String, String> param, String name, String absent) {
    String v = param.apply(name);
    return v == null ? absent : v;
  }

  private static CanopyException invalid(String message) {
    return new CanopyException(ErrorCode.INVALID_QUERY, message);
  }
}
