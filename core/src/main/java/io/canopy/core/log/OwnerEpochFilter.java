package io.canopy.core.log;

/**
 * Which records of one {@code canopy.changes} partition count, read in log order.
 *
 * <p>A processor that takes a partition over claims a new owner epoch in the store and writes an
 * {@linkplain ChangeRecord#epochMarker epoch marker} before anything else. A processor that lost the partition
 * without noticing (a long pause, a network split) may still append verdicts after that marker; they carry its old
 * epoch and are ignored here, and the new owner decides those writes itself. Records before the marker are history
 * the new owner rolled forward, whatever their epoch. Every reader of the change log (the pusher, roll-forward,
 * tests) filters through one of these, started at the epoch of the checkpoint it starts reading from.
 *
 * <p>Not thread-safe: one per partition and reader.
 */
public final class OwnerEpochFilter {
  private long epoch;

  /** @param startEpoch the epoch of the checkpoint the reader starts at ({@code 0} at the start of the log) */
  public OwnerEpochFilter(long startEpoch) {
    this.epoch = startEpoch;
  }

  /**
   * True if {@code record} is a verdict of the partition's owner; false for a fenced processor's verdict and for
   * markers (which raise the epoch).
   */
  public boolean admit(ChangeRecord record) {
    if (record.epoch() < epoch) {
      return false;
    }
    epoch = record.epoch();
    return !record.isEpochMarker();
  }

  /** The newest owner epoch seen so far. */
  public long epoch() {
    return epoch;
  }
}
