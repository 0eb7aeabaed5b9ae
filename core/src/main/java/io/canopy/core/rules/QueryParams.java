package io.canopy.core.rules;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The query of a read, as the rules' {@code query} variable sees it. Bounds ({@code startAt}, {@code endAt},
 * {@code equalTo}) are null, String, Boolean or a number; limits are null when absent.
 */
public record QueryParams(boolean orderByKey, boolean orderByPriority, boolean orderByValue, String orderByChild,
    Object startAt, Object endAt, Object equalTo, Integer limitToFirst, Integer limitToLast) {

  /** A plain read with no query. */
  public static final QueryParams NONE = new QueryParams(false, false, false, null, null, null, null, null, null);

  public QueryParams {
    startAt = bound(startAt);
    endAt = bound(endAt);
    equalTo = bound(equalTo);
  }

  private static Object bound(Object v) {
    if (v == null || v instanceof String || v instanceof Boolean) {
      return v;
    }
    if (v instanceof Number n) {
      return n.doubleValue();
    }
    throw new IllegalArgumentException("Query bounds must be null, string, boolean or number, not " + v);
  }

  /** The rules' view of a query: which index it orders by, its bounds (a closed single point is equalTo), limits. */
  public static QueryParams of(io.canopy.core.query.QuerySpec q) {
    if (q == null || (q.isDefault() && q.index().kind() == io.canopy.core.query.QueryIndex.Kind.PRIORITY)) {
      return NONE;
    }
    io.canopy.core.query.QueryIndex.Kind kind = q.index().kind();
    String child = kind == io.canopy.core.query.QueryIndex.Kind.CHILD ? q.index().path().toRelativeString() : null;
    Object start = q.hasStart() ? q.start().value() : null;
    Object end = q.hasEnd() ? q.end().value() : null;
    Object equal = null;
    if (q.hasStart() && q.hasEnd() && q.start().inclusive() && q.end().inclusive()
        && java.util.Objects.equals(start, end)) {
      equal = start;
      start = null;
      end = null;
    }
    Integer first = null;
    Integer last = null;
    if (q.hasLimit()) {
      if (q.viewFrom() == io.canopy.core.query.QuerySpec.ViewFrom.LEFT) {
        first = q.limit();
      } else {
        last = q.limit();
      }
    }
    return new QueryParams(kind == io.canopy.core.query.QueryIndex.Kind.KEY,
        kind == io.canopy.core.query.QueryIndex.Kind.PRIORITY, kind == io.canopy.core.query.QueryIndex.Kind.VALUE,
        child, start, end, equal, first, last);
  }

  public static QueryParams orderByChild(String child) {
    return new QueryParams(false, false, false, child, null, null, null, null, null);
  }

  public QueryParams withEqualTo(Object value) {
    return new QueryParams(orderByKey, orderByPriority, orderByValue, orderByChild, startAt, endAt, value,
        limitToFirst, limitToLast);
  }

  public QueryParams withRange(Object start, Object end) {
    return new QueryParams(orderByKey, orderByPriority, orderByValue, orderByChild, start, end, equalTo,
        limitToFirst, limitToLast);
  }

  public QueryParams withLimitToFirst(Integer limit) {
    return new QueryParams(orderByKey, orderByPriority, orderByValue, orderByChild, startAt, endAt, equalTo, limit,
        limitToLast);
  }

  public QueryParams withLimitToLast(Integer limit) {
    return new QueryParams(orderByKey, orderByPriority, orderByValue, orderByChild, startAt, endAt, equalTo,
        limitToFirst, limit);
  }

  /** The {@code query} object of the rules language (numbers as Double). */
  public Map<String, Object> toRuleValue() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("orderByKey", orderByKey);
    m.put("orderByPriority", orderByPriority);
    m.put("orderByValue", orderByValue);
    m.put("orderByChild", orderByChild);
    m.put("startAt", startAt);
    m.put("endAt", endAt);
    m.put("equalTo", equalTo);
    m.put("limitToFirst", limitToFirst == null ? null : limitToFirst.doubleValue());
    m.put("limitToLast", limitToLast == null ? null : limitToLast.doubleValue());
    return Collections.unmodifiableMap(m);
  }
}
