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
 * @param epoch the owner epoch of the processor that decided it (see {@link OwnerEpochFilter}): a change whose
 *     epoch is below the latest epoch marker already in its partition came from a fenced processor and does not
 *     count
 */
public record ChangeRecord(
    String namespace,
    int sourcePartition,
    long sourceOffset,
    long timestamp,
    Origin origin,
    ErrorCode error,
    String message,
    List<Overwrite> overwrites,
    long epoch) {
  /** The source offset of an epoch marker: markers are not verdicts on any write. */
  public static final long MARKER_OFFSET = -1;

  public ChangeRecord {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(origin, "origin");
    overwrites = List.copyOf(overwrites);
  }

  public boolean accepted() {
    return error == null && !isEpochMarker();
  }

  /** True for the record a new owner of the partition writes before deciding anything (no verdict). */
  public boolean isEpochMarker() {
    return sourceOffset == MARKER_OFFSET;
  }

  /** This verdict as decided by the owner of {@code ownerEpoch}. */
  public ChangeRecord withEpoch(long ownerEpoch) {
    return ownerEpoch == epoch ? this
        : new ChangeRecord(namespace, sourcePartition, sourceOffset, timestamp, origin, error, message, overwrites,
            ownerEpoch);
  }

  /**
   * The first record of a new owner of {@code partition}: every later record of an older epoch is a fenced
   * processor's and is ignored by readers.
   */
  public static ChangeRecord epochMarker(int partition, long epoch, long timestamp) {
    return new ChangeRecord("", partition, MARKER_OFFSET, timestamp, Origin.NONE, null, null, List.of(), epoch);
  }

  public static ChangeRecord accepted(
      String ns, int partition, long offset, long timestamp, Origin origin, List<Overwrite> overwrites) {
    return new ChangeRecord(ns, partition, offset, timestamp, origin, null, null, overwrites, 0);
  }

  public static ChangeRecord rejected(
      String ns, int partition, long offset, long timestamp, Origin origin, ErrorCode error, String message) {
    return new ChangeRecord(ns, partition, offset, timestamp, origin, error, message, List.of(), 0);
  }
}
