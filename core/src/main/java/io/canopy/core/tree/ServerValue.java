package io.canopy.core.tree;

/**
 * A placeholder the server replaces when it applies a write ({@code {".sv": ...}} on the wire). It may appear as
 * a leaf value or a priority of a write's data, never in stored or resolved trees.
 */
public sealed interface ServerValue {
  /** {@code {".sv":"timestamp"}}: the server time of the write, in epoch milliseconds. */
  record Timestamp() implements ServerValue {}

  /** {@code {".sv":{"increment":n}}}: the current number at the location plus {@code delta}, or delta. */
  record Increment(double delta) implements ServerValue {}

  ServerValue TIMESTAMP = new Timestamp();
}
