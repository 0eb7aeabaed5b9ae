package io.canopy.core.rules;

import java.util.List;
import java.util.Map;

/** Helpers over the runtime values of the expression language (null, Boolean, Double, String, maps, lists). */
final class Values {
  private Values() {}

  /** JavaScript's number-to-string: integral values print without a fraction. */
  static String numberToString(double d) {
    if (d == Math.rint(d) && !Double.isInfinite(d) && Math.abs(d) < 1e21) {
      return Long.toString((long) d);
    }
    return Double.toString(d);
  }

  /** A literal as it would appear in source (strings single-quoted). */
  static String display(Object v) {
    if (v == null) {
      return "null";
    }
    if (v instanceof Double d) {
      return numberToString(d);
    }
    if (v instanceof String s) {
      return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
    return v.toString();
  }

  static String typeName(Object v) {
    if (v == null) {
      return "null";
    }
    if (v instanceof Boolean) {
      return "boolean";
    }
    if (v instanceof Double) {
      return "number";
    }
    if (v instanceof String) {
      return "string";
    }
    if (v instanceof RuleSnapshot) {
      return "RuleDataSnapshot";
    }
    if (v instanceof Map) {
      return "map";
    }
    if (v instanceof List) {
      return "array";
    }
    return v.getClass().getSimpleName();
  }
}
