package io.canopy.store.rocksdb;

import io.canopy.store.Checkpoint;
import io.canopy.store.StoreException;
import java.nio.ByteBuffer;

/**
 * Checkpoint records: the key is the partition as a 4-byte big-endian int, the value a version byte followed by
 * 8-byte big-endian longs: version 2 holds the writes offset, the changes offset, the checkpoint's epoch and the
 * partition's owner epoch; version 1 (before fencing) only the two offsets, read as epochs 0.
 */
final class CheckpointCodec {
  private static final byte VERSION_1 = 1;
  private static final byte VERSION = 2;
  private static final int VALUE_SIZE_1 = 1 + 8 + 8;
  private static final int VALUE_SIZE = 1 + 4 * 8;

  /** A partition's checkpoint and the owner epoch claimed last. */
  record Stored(Checkpoint checkpoint, long ownerEpoch) {
    static final Stored NONE = new Stored(Checkpoint.NONE, 0);
  }

  private CheckpointCodec() {}

  static byte[] key(int partition) {
    return ByteBuffer.allocate(4).putInt(partition).array();
  }

  static byte[] encode(Stored stored) {
    Checkpoint cp = stored.checkpoint();
    return ByteBuffer.allocate(VALUE_SIZE)
        .put(VERSION)
        .putLong(cp.writesOffset())
        .putLong(cp.changesOffset())
        .putLong(cp.epoch())
        .putLong(stored.ownerEpoch())
        .array();
  }

  static Stored decode(int partition, byte[] value) {
    boolean v1 = value.length == VALUE_SIZE_1 && value[0] == VERSION_1;
    if (!v1 && (value.length != VALUE_SIZE || value[0] != VERSION)) {
      throw new StoreException("corrupt checkpoint record for partition " + partition + " (" + value.length
          + " bytes, version " + (value.length == 0 ? "none" : value[0]) + ")");
    }
    ByteBuffer in = ByteBuffer.wrap(value, 1, value.length - 1);
    try {
      if (v1) {
        return new Stored(new Checkpoint(in.getLong(), in.getLong(), 0), 0);
      }
      return new Stored(new Checkpoint(in.getLong(), in.getLong(), in.getLong()), in.getLong());
    } catch (IllegalArgumentException e) {
      throw new StoreException("corrupt checkpoint record for partition " + partition + ": " + e.getMessage(), e);
    }
  }
}
