package io.canopy.store;

/**
 * How far the store reflects one partition of the write log.
 *
 * @param writesOffset the next {@code canopy.writes} offset the processor has not yet applied to the store
 * @param changesOffset the next {@code canopy.changes} offset after the last change whose effect is in the store
 */
public record Checkpoint(long writesOffset, long changesOffset) {
  /** A partition the store has never seen. */
  public static final Checkpoint NONE = new Checkpoint(0, 0);

  public Checkpoint {
    if (writesOffset < 0 || changesOffset < 0) {
      throw new IllegalArgumentException("offsets must be >= 0");
    }
  }
}
