package io.canopy.store;

/**
 * How far the store reflects one partition of the write log.
 *
 * @param writesOffset the next {@code canopy.writes} offset the processor has not yet applied to the store
 * @param changesOffset the next {@code canopy.changes} offset after the last change whose effect is in the store
 * @param epoch the owner epoch of the processor that wrote this checkpoint (see {@link TreeStore#claim}); a
 *     reader of the change log from {@code changesOffset} ignores records of older epochs
 */
public record Checkpoint(long writesOffset, long changesOffset, long epoch) {
  /** A partition the store has never seen. */
  public static final Checkpoint NONE = new Checkpoint(0, 0, 0);

  public Checkpoint {
    if (writesOffset < 0 || changesOffset < 0 || epoch < 0) {
      throw new IllegalArgumentException("offsets and epoch must be >= 0");
    }
  }

  /** A checkpoint of epoch 0 (a store used without {@link TreeStore#claim}). */
  public Checkpoint(long writesOffset, long changesOffset) {
    this(writesOffset, changesOffset, 0);
  }
}
