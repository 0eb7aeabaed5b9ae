package io.canopy.core.query;

import io.canopy.core.path.KeyOrder;

/**
 * The range test of a query, prepared once: keeps a child if (start value, start name) ≤ (index value, key) ≤ (end
 * value, end name), strict at a non-inclusive end; for the key index the bounds are keys.
 */
final class Range {
  private final boolean keyIndex;
  private final boolean hasStart;
  private final Object startValue;
  private final String startName;
  private final boolean startInclusive;
  private final boolean hasEnd;
  private final Object endValue;
  private final String endName;
  private final boolean endInclusive;

  Range(QuerySpec q) {
    keyIndex = q.index().kind() == QueryIndex.Kind.KEY;
    QuerySpec.Bound s = q.start();
    QuerySpec.Bound e = q.end();
    hasStart = s != null;
    startValue = hasStart ? s.value() : null;
    startName = hasStart ? s.name() : KeyOrder.MIN_NAME;
    startInclusive = !hasStart || s.inclusive();
    hasEnd = e != null;
    endValue = hasEnd ? e.value() : null;
    endName = hasEnd ? e.name() : KeyOrder.MAX_NAME;
    endInclusive = !hasEnd || e.inclusive();
  }

  boolean isUnbounded() {
    return !hasStart && !hasEnd;
  }

  /** Compares the child (value, key) with the start bound. */
  int compareToStart(Object value, String key) {
    if (keyIndex) {
      return KeyOrder.compare(key, (String) startValue);
    }
    int c = QueryIndex.compareValues(value, startValue);
    return c != 0 ? c : KeyOrder.compare(key, startName);
  }

  int compareToEnd(Object value, String key) {
    if (keyIndex) {
      return KeyOrder.compare(key, (String) endValue);
    }
    int c = QueryIndex.compareValues(value, endValue);
    return c != 0 ? c : KeyOrder.compare(key, endName);
  }

  boolean afterStart(Object value, String key) {
    if (!hasStart) {
      return true;
    }
    int c = compareToStart(value, key);
    return startInclusive ? c >= 0 : c > 0;
  }

  boolean beforeEnd(Object value, String key) {
    if (!hasEnd) {
      return true;
    }
    int c = compareToEnd(value, key);
    return endInclusive ? c <= 0 : c < 0;
  }

  /** True if the child with sort value {@code value} (see {@link QueryIndex#sortValue}) and key is in range. */
  boolean matches(Object value, String key) {
    return afterStart(value, key) && beforeEnd(value, key);
  }
}
