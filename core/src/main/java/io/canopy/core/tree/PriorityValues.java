package io.canopy.core.tree;

import io.canopy.core.error.CanopyException;

/** Checks and converts priorities: null, a finite number (as Double), a string, or a server value placeholder. */
public final class PriorityValues {
  private PriorityValues() {}

  /** Validates {@code p} as a priority and normalises numbers to Double. */
  public static Object check(Object p) {
    if (p == null || p instanceof String || p instanceof ServerValue) {
      return p;
    }
    if (p instanceof Number n) {
      double d = n.doubleValue();
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        throw CanopyException.invalidData("Priority must be a finite number, a string or null");
      }
      return d;
    }
    throw CanopyException.invalidData("Priority must be a finite number, a string or null, not " + p);
  }

  /** The priority a node stands for when written to a {@code .priority} path. */
  public static Object fromNode(Node n) {
    if (n.isEmpty()) {
      return null;
    }
    if (n instanceof LeafNode leaf) {
      if (leaf.value() instanceof Boolean) {
        throw CanopyException.invalidData("Priority must be a finite number, a string or null");
      }
      return leaf.value();
    }
    throw CanopyException.invalidData("Priority must be a finite number, a string or null");
  }
}
