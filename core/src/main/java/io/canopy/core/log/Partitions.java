package io.canopy.core.log;

/**
 * Which partition of the two topics holds a namespace. Computed by us (not Kafka's partitioner) so that every
 * component agrees without a Kafka dependency; String#hashCode is specified by the JLS, hence stable.
 */
public final class Partitions {
  private Partitions() {}

  public static int forNamespace(String namespace, int partitionCount) {
    int h = namespace.hashCode() * 0x9E3779B1; // spread similar names
    return Math.floorMod(h ^ (h >>> 16), partitionCount);
  }
}
