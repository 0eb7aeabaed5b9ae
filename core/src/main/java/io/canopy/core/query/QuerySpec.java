package io.canopy.core.query;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.canopy.core.error.CanopyException;
import io.canopy.core.error.ErrorCode;
import io.canopy.core.json.TreeJson;
import io.canopy.core.path.KeyOrder;
import io.canopy.core.path.Path;
import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An immutable query: an index, an optional start and end bound and an optional limit with its direction. It is the
 * canonical form of the protocol-v5 query object ({@code q} of {@code q}/{@code n}/{@code g}): equal queries are equal
 * records whatever the client sent (absent {@code sin}/{@code ein} = true, absent {@code sn}/{@code en} = the
 * {@link KeyOrder#MIN_NAME}/{@link KeyOrder#MAX_NAME} sentinels, a plain {@code l} resolved to a direction, integral
 * numbers as Doubles), so it can key a map of views.
 *
 * <p>Bound values are null, Boolean, Double or String (strings only for the key index, whose bounds are keys and
 * whose bound names are ignored and kept at the sentinels). {@code limit} is 0 exactly when {@code viewFrom} is null.
 *
 * @param index what the query orders by
 * @param start the lower bound, or null
 * @param end the upper bound, or null
 * @param limit the window size, or 0 for none
 * @param viewFrom {@link ViewFrom#LEFT} (limitToFirst) or {@link ViewFrom#RIGHT} (limitToLast); null without limit
 */
public record QuerySpec(QueryIndex index, Bound start, Bound end, int limit, ViewFrom viewFrom) {

  /** The query without constraints: priority index, everything. */
  public static final QuerySpec DEFAULT = new QuerySpec(QueryIndex.PRIORITY, null, null, 0, null);

  /**
   * One end of a range: (value, name) compared with (index value, key), inclusive or strict. For the key index the
   * value is the bound key and the name is ignored.
   *
   * @param value null, Boolean, Double or String
   * @param name the tie-breaking key, or the {@link KeyOrder#MIN_NAME}/{@link KeyOrder#MAX_NAME} sentinel
   * @param inclusive whether a child equal to the bound is kept
   */
  public record Bound(Object value, String name, boolean inclusive) {
    public Bound {
      value = normaliseValue(value);
      Objects.requireNonNull(name, "name");
    }
  }

  /** Which end of the range a limit keeps. */
  public enum ViewFrom {
    /** limitToFirst: the first {@code limit} children in index order. */
    LEFT("l"),
    /** limitToLast: the last {@code limit} children in index order. */
    RIGHT("r");

    private final String wire;

    ViewFrom(String wire) {
      this.wire = wire;
    }

    /** The wire value of {@code vf}. */
    public String wire() {
      return wire;
    }
  }

  public QuerySpec {
    Objects.requireNonNull(index, "index");
    if (limit < 0) {
      throw new IllegalArgumentException("limit must not be negative");
    }
    if ((limit == 0) != (viewFrom == null)) {
      throw new IllegalArgumentException("limit and viewFrom must be set together");
    }
    if (index.kind() == QueryIndex.Kind.KEY) {
      // Key bounds are keys; the name is meaningless there, so keep it canonical.
      if (start != null) {
        checkKeyBound(start);
        start = new Bound(start.value(), KeyOrder.MIN_NAME, start.inclusive());
      }
      if (end != null) {
        checkKeyBound(end);
        end = new Bound(end.value(), KeyOrder.MAX_NAME, end.inclusive());
      }
    }
  }

  private static void checkKeyBound(Bound b) {
    if (!(b.value() instanceof String)) {
      throw new CanopyException(ErrorCode.INVALID_QUERY, "Query: when ordering by key, bounds must be strings");
    }
  }

  /** Normalises a bound value: numbers to finite Doubles (-0 to 0); null, Boolean and String as they are. */
  static Object normaliseValue(Object v) {
    if (v == null || v instanceof String || v instanceof Boolean) {
      return v;
    }
    if (v instanceof Number n) {
      double d = n.doubleValue();
      if (!Double.isFinite(d)) {
        throw new CanopyException(ErrorCode.INVALID_QUERY, "Query bounds must be finite numbers");
      }
      return d == 0 ? 0.0 : d;
    }
    throw new CanopyException(ErrorCode.INVALID_QUERY,
        "Query bounds must be null, a boolean, a number or a string, not " + v.getClass().getSimpleName());
  }

  public boolean hasStart() {
    return start != null;
  }

  public boolean hasEnd() {
    return end != null;
  }

  public boolean hasLimit() {
    return limit > 0;
  }

  /**
   * True if the query loads all data: no start, end or limit. Such a query's result is the node itself (with its
   * priority, a leaf stays a leaf); only the order of its children depends on the index.
   */
  public boolean isDefault() {
    return start == null && end == null && limit == 0;
  }

  /** This query with another index, keeping its constraints. */
  public QuerySpec withIndex(QueryIndex newIndex) {
    return new QuerySpec(newIndex, start, end, limit, viewFrom);
  }

  /** This query without limit (the range only). */
  public QuerySpec withoutLimit() {
    return limit == 0 ? this : new QuerySpec(index, start, end, 0, null);
  }

  // ---- wire form (protocol v5) ----

  /**
   * Parses the query object of protocol v5 as a parsed JSON map ({@code i, sp, sn, sin, ep, en, ein, l, vf});
   * null or empty is the default query. Unknown fields are ignored. Throws invalid_query for malformed fields.
   */
  public static QuerySpec fromWire(Map<String, ?> q) {
    if (q == null || q.isEmpty()) {
      return DEFAULT;
    }
    Object i = q.get("i");
    if (i != null && !(i instanceof String)) {
      throw invalid("Invalid query: \"i\" must be a string");
    }
    QueryIndex index = QueryIndex.fromWire((String) i);
    Bound start = null;
    if (q.containsKey("sp") || q.containsKey("sn")) {
      start = new Bound(wireValue(q.get("sp"), "sp"), wireName(q, "sn", KeyOrder.MIN_NAME),
          wireBool(q, "sin"));
    }
    Bound end = null;
    if (q.containsKey("ep") || q.containsKey("en")) {
      end = new Bound(wireValue(q.get("ep"), "ep"), wireName(q, "en", KeyOrder.MAX_NAME), wireBool(q, "ein"));
    }
    int limit = 0;
    ViewFrom vf = null;
    Object l = q.get("l");
    if (l != null) {
      limit = wireLimit(l);
      Object v = q.get("vf");
      if (v == null || "".equals(v)) {
        vf = start != null ? ViewFrom.LEFT : ViewFrom.RIGHT;
      } else if ("l".equals(v)) {
        vf = ViewFrom.LEFT;
      } else if ("r".equals(v)) {
        vf = ViewFrom.RIGHT;
      } else {
        throw invalid("Invalid query: \"vf\" must be \"l\" or \"r\"");
      }
    }
    if (index.kind() == QueryIndex.Kind.KEY
        && ((start != null && !(start.value() instanceof String))
            || (end != null && !(end.value() instanceof String)))) {
      throw invalid("Invalid query: with index \".key\", \"sp\" and \"ep\" must be strings");
    }
    return new QuerySpec(index, start, end, limit, vf);
  }

  private static Object wireValue(Object v, String field) {
    if (v instanceof Map || v instanceof Iterable) {
      throw invalid("Invalid query: \"" + field + "\" must be null, a boolean, a number or a string");
    }
    if (v instanceof Number n && !Double.isFinite(n.doubleValue())) {
      throw invalid("Invalid query: \"" + field + "\" must be a finite number");
    }
    return normaliseValue(v);
  }

  private static String wireName(Map<String, ?> q, String field, String absent) {
    Object n = q.get(field);
    if (n == null) {
      return absent;
    }
    if (!(n instanceof String s)) {
      throw invalid("Invalid query: \"" + field + "\" must be a string");
    }
    return s;
  }

  private static boolean wireBool(Map<String, ?> q, String field) {
    Object b = q.get(field);
    if (b == null) {
      return true;
    }
    if (!(b instanceof Boolean bool)) {
      throw invalid("Invalid query: \"" + field + "\" must be a boolean");
    }
    return bool;
  }

  private static int wireLimit(Object l) {
    if (l instanceof Number n) {
      double d = n.doubleValue();
      if (d == Math.rint(d) && d >= 1) {
        return d >= Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) d;
      }
    }
    throw invalid("Invalid query: \"l\" must be a positive integer");
  }

  /**
   * The canonical wire object: {@code i} unless priority; {@code sp} (and {@code sn} unless MIN_NAME, {@code sin}
   * only when false) with a start; the mirror for the end; {@code l} and {@code vf} with a limit. Integral numbers
   * within ±2^53 are Longs, other numbers Doubles. The map is unmodifiable and iterates in that field order.
   */
  public Map<String, Object> toWire() {
    Map<String, Object> m = new LinkedHashMap<>();
    if (index.kind() != QueryIndex.Kind.PRIORITY) {
      m.put("i", index.wireName());
    }
    if (start != null) {
      m.put("sp", wireOut(start.value()));
      if (!start.name().equals(KeyOrder.MIN_NAME)) {
        m.put("sn", start.name());
      }
      if (!start.inclusive()) {
        m.put("sin", false);
      }
    }
    if (end != null) {
      m.put("ep", wireOut(end.value()));
      if (!end.name().equals(KeyOrder.MAX_NAME)) {
        m.put("en", end.name());
      }
      if (!end.inclusive()) {
        m.put("ein", false);
      }
    }
    if (limit > 0) {
      m.put("l", limit);
      m.put("vf", viewFrom.wire());
    }
    return Collections.unmodifiableMap(m);
  }

  private static Object wireOut(Object v) {
    if (v instanceof Double d && d == Math.rint(d) && Math.abs(d) <= 0x1p53) {
      return d.longValue();
    }
    return v;
  }

  @Override
  public String toString() {
    return "QuerySpec" + toWire();
  }

  // ---- REST ----

  /**
   * Parses the REST query parameters ({@code orderBy, startAt, endAt, equalTo, limitToFirst, limitToLast}; values
   * already URL-decoded, JSON-encoded as Firebase expects). Other parameters (auth, print, format, ...) are ignored.
   * Bounds are inclusive and have no key tie-break. Throws invalid_query with Firebase's message where it is known.
   */
  public static QuerySpec fromRest(Map<String, String> params) {
    String orderBy = params.get("orderBy");
    String startAt = params.get("startAt");
    String endAt = params.get("endAt");
    String equalTo = params.get("equalTo");
    String first = params.get("limitToFirst");
    String last = params.get("limitToLast");
    if (orderBy == null) {
      if (startAt != null || endAt != null || equalTo != null || first != null || last != null) {
        throw invalid("orderBy must be defined when other query parameters are defined");
      }
      return DEFAULT;
    }
    QueryIndex index = restIndex(orderBy);
    if (first != null && last != null) {
      throw invalid("limitToFirst and limitToLast cannot both be defined");
    }
    if (equalTo != null && (startAt != null || endAt != null)) {
      throw invalid("equalTo cannot be combined with startAt or endAt");
    }
    Bound start = null;
    Bound end = null;
    if (equalTo != null) {
      Object v = restValue(equalTo, index);
      start = new Bound(v, KeyOrder.MIN_NAME, true);
      end = new Bound(v, KeyOrder.MAX_NAME, true);
    } else {
      if (startAt != null) {
        start = new Bound(restValue(startAt, index), KeyOrder.MIN_NAME, true);
      }
      if (endAt != null) {
        end = new Bound(restValue(endAt, index), KeyOrder.MAX_NAME, true);
      }
    }
    int limit = 0;
    ViewFrom vf = null;
    if (first != null) {
      limit = restLimit("limitToFirst", first);
      vf = ViewFrom.LEFT;
    } else if (last != null) {
      limit = restLimit("limitToLast", last);
      vf = ViewFrom.RIGHT;
    }
    return new QuerySpec(index, start, end, limit, vf);
  }

  private static QueryIndex restIndex(String orderBy) {
    Object parsed;
    try {
      parsed = parseJsonScalar(orderBy);
    } catch (IllegalArgumentException e) {
      throw invalid("orderBy must be a valid JSON encoded path");
    }
    if (!(parsed instanceof String s)) {
      throw invalid("orderBy must be a valid JSON encoded path");
    }
    switch (s) {
      case "$key":
        return QueryIndex.KEY;
      case "$value":
        return QueryIndex.VALUE;
      case "$priority":
        return QueryIndex.PRIORITY;
      default:
        break;
    }
    Path p;
    try {
      p = Path.parse(s);
    } catch (CanopyException e) {
      throw invalid("orderBy must be a valid JSON encoded path");
    }
    if (p.isRoot()) {
      throw invalid("orderBy must be a valid JSON encoded path");
    }
    return QueryIndex.child(p);
  }

  private static Object restValue(String json, QueryIndex index) {
    Object v;
    try {
      v = parseJsonScalar(json);
    } catch (IllegalArgumentException e) {
      throw invalid("Constraint index field must be a JSON primitive");
    }
    if (index.kind() == QueryIndex.Kind.KEY && !(v instanceof String)) {
      throw invalid("Provided key index type is invalid, must be string");
    }
    return v;
  }

  private static int restLimit(String name, String text) {
    Object v;
    try {
      v = parseJsonScalar(text);
    } catch (IllegalArgumentException e) {
      v = null;
    }
    if (v instanceof Double d && d == Math.rint(d) && d >= 1) {
      return d >= Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) (double) d;
    }
    throw invalid(name + " must be a positive integer");
  }

  /**
   * Parses one JSON primitive: null, a boolean, a finite number (as Double) or a string. Throws
   * IllegalArgumentException for anything else (invalid JSON, objects, arrays, trailing data).
   */
  private static Object parseJsonScalar(String json) {
    try (JsonParser p = TreeJson.factory().createParser(json)) {
      JsonToken t = p.nextToken();
      if (t == null) {
        throw new IllegalArgumentException("empty");
      }
      Object v;
      switch (t) {
        case VALUE_NULL -> v = null;
        case VALUE_TRUE -> v = Boolean.TRUE;
        case VALUE_FALSE -> v = Boolean.FALSE;
        case VALUE_STRING -> v = p.getText();
        case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
          double d = p.getDoubleValue();
          if (!Double.isFinite(d)) {
            throw new IllegalArgumentException("not finite");
          }
          v = d == 0 ? 0.0 : d;
        }
        default -> throw new IllegalArgumentException("not a primitive");
      }
      if (p.nextToken() != null) {
        throw new IllegalArgumentException("trailing data");
      }
      return v;
    } catch (IOException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static CanopyException invalid(String message) {
    return new CanopyException(ErrorCode.INVALID_QUERY, message);
  }

  // ---- builder (the SDK API) ----

  /** Starts a query the way the SDKs build one (see {@link Builder}). */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Builds a query with the SDK's API and its mapping to the wire fields (PROTOCOL §4): {@code startAt(v[,k])} is an
   * inclusive start; {@code startAfter(v)} without a key on a non-key index starts after every key with value v
   * ({@code sn=[MAX_NAME]}, exclusive), with a key or on the key index it is an exclusive start at (v[,k]);
   * {@code endAt}/{@code endBefore} mirror them ({@code en=[MIN_NAME]}); {@code equalTo(v[,k])} sets both ends.
   * Calls may come in any order; the index-dependent mapping and the SDK's validation happen in {@link #build()}.
   * Errors are invalid_query with the JS SDK's messages.
   */
  public static final class Builder {
    private QueryIndex index;
    private Call start;
    private Call end;
    private int limit;
    private ViewFrom viewFrom;

    /** A recorded startAt/startAfter/endAt/endBefore call. */
    private record Call(String method, Object value, String key, boolean exclusive) {}

    private Builder() {}

    private Builder order(QueryIndex i, String method) {
      if (index != null) {
        throw invalid(method + ": You can't combine multiple orderBy calls.");
      }
      index = i;
      return this;
    }

    public Builder orderByPriority() {
      return order(QueryIndex.PRIORITY, "orderByPriority");
    }

    public Builder orderByKey() {
      return order(QueryIndex.KEY, "orderByKey");
    }

    public Builder orderByValue() {
      return order(QueryIndex.VALUE, "orderByValue");
    }

    public Builder orderByChild(String path) {
      if ("$key".equals(path) || "$priority".equals(path) || "$value".equals(path)) {
        throw invalid("orderByChild: \"" + path + "\" is invalid.  Use orderBy"
            + Character.toUpperCase(path.charAt(1)) + path.substring(2) + "() instead.");
      }
      return order(QueryIndex.child(path), "orderByChild");
    }

    public Builder orderByChild(Path path) {
      return order(QueryIndex.child(path), "orderByChild");
    }

    public Builder startAt(Object value) {
      return setStart(new Call("startAt", value(value, "startAt"), null, false));
    }

    public Builder startAt(Object value, String key) {
      return setStart(new Call("startAt", value(value, "startAt"), key(key, "startAt"), false));
    }

    public Builder startAfter(Object value) {
      return setStart(new Call("startAfter", value(value, "startAfter"), null, true));
    }

    public Builder startAfter(Object value, String key) {
      return setStart(new Call("startAfter", value(value, "startAfter"), key(key, "startAfter"), true));
    }

    public Builder endAt(Object value) {
      return setEnd(new Call("endAt", value(value, "endAt"), null, false));
    }

    public Builder endAt(Object value, String key) {
      return setEnd(new Call("endAt", value(value, "endAt"), key(key, "endAt"), false));
    }

    public Builder endBefore(Object value) {
      return setEnd(new Call("endBefore", value(value, "endBefore"), null, true));
    }

    public Builder endBefore(Object value, String key) {
      return setEnd(new Call("endBefore", value(value, "endBefore"), key(key, "endBefore"), true));
    }

    public Builder equalTo(Object value) {
      return equalTo(value, null);
    }

    public Builder equalTo(Object value, String key) {
      Object v = value(value, "equalTo");
      String k = key == null ? null : key(key, "equalTo");
      if (start != null) {
        throw invalid("equalTo: Starting point was already set (by another call to startAt/startAfter or equalTo).");
      }
      if (end != null) {
        throw invalid("equalTo: Ending point was already set (by another call to endAt/endBefore or equalTo).");
      }
      start = new Call("equalTo", v, k, false);
      end = new Call("equalTo", v, k, false);
      return this;
    }

    public Builder limitToFirst(int n) {
      return setLimit(n, ViewFrom.LEFT, "limitToFirst");
    }

    public Builder limitToLast(int n) {
      return setLimit(n, ViewFrom.RIGHT, "limitToLast");
    }

    private Builder setLimit(int n, ViewFrom vf, String method) {
      if (n <= 0) {
        throw invalid(method + ": First argument must be a positive integer.");
      }
      if (limit > 0) {
        throw invalid(method + ": Limit was already set (by another call to limitToFirst or limitToLast).");
      }
      limit = n;
      viewFrom = vf;
      return this;
    }

    private Builder setStart(Call c) {
      if (start != null) {
        // the JS SDK's texts, quirks included
        throw invalid(c.method().equals("startAt")
            ? "startAt: Starting point was already set (by another call to startAt, startBefore or equalTo)."
            : "startAfter: Starting point was already set (by another call to startAt, startAfter, or equalTo).");
      }
      start = c;
      return this;
    }

    private Builder setEnd(Call c) {
      if (end != null) {
        throw invalid(c.method() + ": Starting point was already set (by another call to endAt, endBefore or "
            + "equalTo).");
      }
      end = c;
      return this;
    }

    private static Object value(Object v, String method) {
      if (v != null && !(v instanceof String || v instanceof Boolean || v instanceof Number)) {
        throw invalid("Query: First argument passed to startAt(), startAfter(), endAt(), endBefore(), or equalTo() "
            + "cannot be an object.");
      }
      if (v instanceof Number n && !Double.isFinite(n.doubleValue())) {
        throw invalid(method + " failed: first argument contains " + n + " (numbers must be finite)");
      }
      return normaliseValue(v);
    }

    private static String key(String key, String method) {
      if (key == null) {
        return null;
      }
      String problem = Path.keyProblem(key);
      if (problem != null) {
        throw invalid(method + " failed: second argument was an invalid key = \"" + key + "\": " + problem);
      }
      return key;
    }

    /** Validates the combination like the JS SDK's validateQueryEndpoints and builds the canonical spec. */
    public QuerySpec build() {
      QueryIndex idx = index == null ? QueryIndex.PRIORITY : index;
      switch (idx.kind()) {
        case KEY -> {
          for (Call c : new Call[] {start, end}) {
            if (c == null) {
              continue;
            }
            if (c.key() != null) {
              throw invalid("Query: When ordering by key, you may only pass one argument to startAt(), endAt(), or "
                  + "equalTo().");
            }
            if (!(c.value() instanceof String)) {
              throw invalid("Query: When ordering by key, the argument passed to startAt(), startAfter(), endAt(), "
                  + "endBefore(), or equalTo() must be a string.");
            }
          }
        }
        case PRIORITY -> {
          for (Call c : new Call[] {start, end}) {
            if (c != null && c.value() instanceof Boolean) {
              throw invalid("Query: When ordering by priority, the first argument passed to startAt(), startAfter() "
                  + "endAt(), endBefore(), or equalTo() must be a valid priority value (null, a number, or a string).");
            }
          }
        }
        default -> {
          // objects were rejected as the calls were made
        }
      }
      Bound s = null;
      if (start != null) {
        String name = start.key() != null ? start.key()
            : (start.exclusive() && idx.kind() != QueryIndex.Kind.KEY ? KeyOrder.MAX_NAME : KeyOrder.MIN_NAME);
        s = new Bound(start.value(), name, !start.exclusive());
      }
      Bound e = null;
      if (end != null) {
        String name = end.key() != null ? end.key()
            : (end.exclusive() && idx.kind() != QueryIndex.Kind.KEY ? KeyOrder.MIN_NAME : KeyOrder.MAX_NAME);
        e = new Bound(end.value(), name, !end.exclusive());
      }
      return new QuerySpec(idx, s, e, limit, viewFrom);
    }
  }
}
