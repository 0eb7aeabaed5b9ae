package io.canopy.gateway.rest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.canopy.core.error.CanopyException;
import io.canopy.core.error.ErrorCode;
import io.canopy.core.json.TreeJson;
import io.canopy.core.path.KeyOrder;
import io.canopy.core.query.QueryIndex;
import io.canopy.core.query.QuerySpec;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The query parameters of one REST request (Firebase's, see FIREBASE-REFERENCE §1.1). Unknown parameters are
 * ignored, as Firebase does; the credentials ({@code auth}, {@code access_token}) are parsed by {@link Credential}.
 * Bad values are refused with a 400 rather than ignored: answering a filtered read with unfiltered data would
 * silently give clients the wrong children.
 *
 * @param print how to print the reply
 * @param export include priorities ({@code format=export})
 * @param shallow a GET returns child keys only ({@code shallow=true})
 * @param query the server-side query when {@code orderBy} is given (evaluated by {@code core.query}), else null
 * @param callback the JSONP function name ({@code callback=}), else null
 * @param download the file name of {@code download=}, else null
 * @param timeoutMs the read deadline of {@code timeout=} in milliseconds, or 0 when none was given
 * @param writeSizeLimit the write guard of {@code writeSizeLimit=}, or null when none was given
 */
public record RestParams(Print print, boolean export, boolean shallow, QuerySpec query, String callback,
    String download, long timeoutMs, WriteSizeLimit writeSizeLimit) {

  public static final RestParams DEFAULTS = new RestParams(Print.COMPACT, false, false, null, null, null, 0, null);

  /** Firebase's largest (and default) read timeout: 15 minutes. */
  public static final long MAX_TIMEOUT_MS = 15 * 60 * 1000L;

  /** The querying parameters: each needs {@code orderBy}, none goes with {@code shallow}. */
  static final List<String> FILTERS = List.of("startAt", "endAt", "equalTo", "limitToFirst", "limitToLast",
      "startAfter", "endBefore");

  static final String SHALLOW_WITH_QUERY = "Mixing 'shallow' and querying parameters is not supported";
  private static final Pattern TIMEOUT = Pattern.compile("([0-9]{1,12})(ms|s|min)");
  /** A JavaScript name or dotted member path, the only thing we echo into a script. */
  private static final Pattern CALLBACK = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*(\\.[A-Za-z_$][A-Za-z0-9_$]*)*");
  private static final int MAX_CALLBACK_LENGTH = 128;
  private static final int MAX_DOWNLOAD_LENGTH = 255;

  public enum Print {
    /** The default: compact JSON. */
    COMPACT,
    /** {@code print=pretty}: indented JSON. */
    PRETTY,
    /** {@code print=silent}: 204 and no body. */
    SILENT
  }

  /** True if {@code orderBy} was given: the reply lists children in query order. */
  public boolean ordered() {
    return query != null;
  }

  /**
   * Parses the parameters of one request.
   *
   * @param param the first value of a query parameter, or null if absent (a repeated parameter counts once, as
   *     Firebase ignores duplicates)
   * @throws CanopyException invalid_query (400) for values Firebase rejects, with its message where known
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
    boolean anyFilter = param.apply("orderBy") != null;
    for (String filter : FILTERS) {
      anyFilter |= param.apply(filter) != null;
    }
    if (shallow && anyFilter) {
      throw invalid(SHALLOW_WITH_QUERY);
    }
    return new RestParams(print, format != null, shallow, query(param), callback(param.apply("callback")),
        download(param.apply("download")), timeout(param.apply("timeout")),
        writeSizeLimit(param.apply("writeSizeLimit")));
  }

  // ---- queries ----

  /**
   * {@code orderBy} and its filters through {@link QuerySpec#fromRest} (Firebase's messages), plus the exclusive
   * bounds {@code startAfter}/{@code endBefore} of newer SDKs with the SDKs' meaning.
   */
  static QuerySpec query(Function<String, String> param) {
    Map<String, String> rest = new HashMap<>();
    for (String name : List.of("orderBy", "startAt", "endAt", "equalTo", "limitToFirst", "limitToLast")) {
      String v = param.apply(name);
      if (v != null) {
        rest.put(name, v);
      }
    }
    String startAfter = param.apply("startAfter");
    String endBefore = param.apply("endBefore");
    if (rest.get("orderBy") == null) {
      if (!rest.isEmpty() || startAfter != null || endBefore != null) {
        throw invalid("orderBy must be defined when other query parameters are defined");
      }
      return null;
    }
    if (startAfter != null && (rest.containsKey("startAt") || rest.containsKey("equalTo"))) {
      throw invalid("startAfter cannot be combined with startAt or equalTo");
    }
    if (endBefore != null && (rest.containsKey("endAt") || rest.containsKey("equalTo"))) {
      throw invalid("endBefore cannot be combined with endAt or equalTo");
    }
    QuerySpec spec = QuerySpec.fromRest(rest);
    if (startAfter == null && endBefore == null) {
      return spec;
    }
    boolean byKey = spec.index().kind() == QueryIndex.Kind.KEY;
    QuerySpec.Bound start = spec.start();
    QuerySpec.Bound end = spec.end();
    if (startAfter != null) {
      // after every child with this value (any key); by key: after this key
      start = new QuerySpec.Bound(boundValue(startAfter, spec.index()), byKey ? KeyOrder.MIN_NAME : KeyOrder.MAX_NAME,
          false);
    }
    if (endBefore != null) {
      end = new QuerySpec.Bound(boundValue(endBefore, spec.index()), byKey ? KeyOrder.MAX_NAME : KeyOrder.MIN_NAME,
          false);
    }
    return new QuerySpec(spec.index(), start, end, spec.limit(), spec.viewFrom());
  }

  private static Object boundValue(String json, QueryIndex index) {
    Object v;
    try (JsonParser p = TreeJson.factory().createParser(json)) {
      JsonToken t = p.nextToken();
      v = switch (t == null ? JsonToken.NOT_AVAILABLE : t) {
        case VALUE_NULL -> null;
        case VALUE_TRUE -> Boolean.TRUE;
        case VALUE_FALSE -> Boolean.FALSE;
        case VALUE_STRING -> p.getText();
        case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> p.getDoubleValue();
        default -> throw invalid("Constraint index field must be a JSON primitive");
      };
      if (p.nextToken() != null || (v instanceof Double d && !Double.isFinite(d))) {
        throw invalid("Constraint index field must be a JSON primitive");
      }
    } catch (IOException e) {
      throw invalid("Constraint index field must be a JSON primitive");
    }
    if (index.kind() == QueryIndex.Kind.KEY && !(v instanceof String)) {
      throw invalid("Provided key index type is invalid, must be string");
    }
    return v;
  }

  // ---- reply shaping ----

  static String callback(String name) {
    if (name == null) {
      return null;
    }
    if (name.length() > MAX_CALLBACK_LENGTH || !CALLBACK.matcher(name).matches()) {
      throw invalid("Invalid callback: \"" + abbreviate(name)
          + "\" must be a JavaScript function name (letters, digits, _ and $, dot-separated)");
    }
    return name;
  }

  static String download(String name) {
    if (name == null) {
      return null;
    }
    if (name.isEmpty() || name.length() > MAX_DOWNLOAD_LENGTH) {
      throw invalid("Invalid download: the file name must have 1 to " + MAX_DOWNLOAD_LENGTH + " characters");
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c < 0x20 || c == 0x7f || c == '/' || c == '\\') {
        throw invalid("Invalid download: the file name must not contain control characters, / or \\");
      }
    }
    return name;
  }

  /** {@code 3ms}, {@code 3s} or {@code 3min}; 0 when absent. */
  static long timeout(String text) {
    if (text == null) {
      return 0;
    }
    Matcher m = TIMEOUT.matcher(text);
    if (!m.matches()) {
      throw invalid("Invalid timeout \"" + abbreviate(text) + "\": use a whole number followed by ms, s or min, "
          + "e.g. 3ms, 3s or 3min (at most 15min)");
    }
    long n = Long.parseLong(m.group(1));
    long ms = switch (m.group(2)) {
      case "ms" -> n;
      case "s" -> n * 1000;
      default -> n * 60_000;
    };
    if (ms <= 0) {
      throw invalid("Invalid timeout \"" + text + "\": the timeout must be positive");
    }
    if (ms > MAX_TIMEOUT_MS) {
      throw invalid("Invalid timeout \"" + text + "\": the maximum is 15min");
    }
    return ms;
  }

  static WriteSizeLimit writeSizeLimit(String text) {
    if (text == null) {
      return null;
    }
    WriteSizeLimit limit = WriteSizeLimit.byName(text);
    if (limit == null) {
      throw invalid("Invalid writeSizeLimit \"" + abbreviate(text)
          + "\": must be tiny, small, medium, large or unlimited");
    }
    return limit;
  }

  private static String abbreviate(String s) {
    return s.length() <= 64 ? s : s.substring(0, 64) + "...";
  }

  private static String valueOr(Function<String, String> param, String name, String absent) {
    String v = param.apply(name);
    return v == null ? absent : v;
  }

  static CanopyException invalid(String message) {
    return new CanopyException(ErrorCode.INVALID_QUERY, message);
  }
}
