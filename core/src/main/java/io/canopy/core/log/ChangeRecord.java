package io.canopy.core.log;

import io.canopy.core.error.ErrorCode;
import io.canopy.core.ops.Overwrite;
import java.util.List;
import java.util.Objects;

/**
 * A record of {@code canopy.changes}: the processor's verdict on one write record, resolved. Every write record
 * gets exactly one change record, in the same partition and order. An accepted write carries the absolute
 * overwrites it made (applying them one by one with {@code Node.set} reproduces the processor's tree: no
 * increments or timestamps left to resolve); a rejected one carries its error and no overwrites.
 *
 * @param sourcePartition the {@code canopy.writes} partition (also the partition of this record)
 * @param sourceOffset the write record's offset: identifies the change, so duplicates can be dropped
 * @param timestamp the server time of the write (the write record's timestamp)
 * @param error null if accepted
 */
public record ChangeRecord(
    String namespace,
    int sourcePartition,
    long sourceOffset,
    long timestamp,
    Origin origin,
    ErrorCode error,
    String message,
    List<Overwrite> overwrites) {
  public ChangeRecord {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(origin, "origin");
    overwrites = List.copyOf(overwrites);
  }

  public boolean accepted() {
    return error == null;
  }

  public static ChangeRecord accepted(
      String ns, int partition, long offset, long timestamp, Origin origin, List<Overwrite> overwrites) {
    return new ChangeRecord(ns, partition, offset, timestamp, origin, null, null, overwrites);
  }

  public static ChangeRecord rejected(
      String ns, int partition, long offset, long timestamp, Origin origin, ErrorCode error, String message) {
    return new ChangeRecord(ns, partition, offset, timestamp, origin, error, message, List.of());
  }
}
