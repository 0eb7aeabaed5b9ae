package io.canopy.core.log;

/**
 * Which partition of the two topics holds a namespace. Computed by us (not Kafka's partitioner) so that every
 * component agrees without a Kafka dependency; String#hashCode is specified by the JLS, hence stable.
 */
public final class Partitions {
  private Partitions() {}

  /** A namespace's partition; a rules namespace shares its owner's, so rules updates are ordered with writes. */
  public static int forNamespace(String namespace, int partitionCount) {
    if (io.canopy.core.rules.RulesNamespace.isRules(namespace)) {
      namespace = io.canopy.core.rules.RulesNamespace.owner(namespace);
    }
    int h = namespace.hashCode() * 0x9E3779B1; // spread similar names
    return Math.floorMod(h ^ (h >>> 16), partitionCount);
  }
}
