package io.canopy.store;

/**
 * A flush refused because another processor claimed the partition since (a newer owner epoch): the caller lost
 * the partition and must drop what it holds for it. Nothing of the refused flush is in the store.
 */
public final class FencedException extends StoreException {
  private final int partition;
  private final long epoch;
  private final long ownerEpoch;

  public FencedException(int partition, long epoch, long ownerEpoch) {
    super("partition " + partition + " was claimed by owner epoch " + ownerEpoch + "; a flush of epoch " + epoch
        + " is refused");
    this.partition = partition;
    this.epoch = epoch;
    this.ownerEpoch = ownerEpoch;
  }

  public int partition() {
    return partition;
  }

  /** The epoch of the refused flush. */
  public long epoch() {
    return epoch;
  }

  /** The partition's owner epoch in the store. */
  public long ownerEpoch() {
    return ownerEpoch;
  }
}
