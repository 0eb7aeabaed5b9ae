package io.canopy.store.rocksdb;

import io.canopy.store.Checkpoint;
import io.canopy.store.StoreException;
import java.nio.ByteBuffer;

/**
 * Checkpoint records: the key is the partition as a 4-byte big-endian int, the value a version byte followed by
 * the writes and changes offsets as 8-byte big-endian longs.
 */
final class CheckpointCodec {
  private static final byte VERSION = 1;
  private static final int VALUE_SIZE = 1 + 8 + 8;

  private CheckpointCodec() {}

  static byte[] key(int partition) {
    return ByteBuffer.allocate(4).putInt(partition).array();
  }

  static byte[] encode(Checkpoint checkpoint) {
    return ByteBuffer.allocate(VALUE_SIZE)
        .put(VERSION)
        .putLong(checkpoint.writesOffset())
        .putLong(checkpoint.changesOffset())
        .array();
  }

  static Checkpoint decode(int partition, byte[] value) {
    if (value.length != VALUE_SIZE || value[0] != VERSION) {
      throw new StoreException("corrupt checkpoint record for partition " + partition + " (" + value.length
          + " bytes, version " + (value.length == 0 ? "none" : value[0]) + ")");
    }
    ByteBuffer in = ByteBuffer.wrap(value, 1, 16);
    try {
      return new Checkpoint(in.getLong(), in.getLong());
    } catch (IllegalArgumentException e) {
      throw new StoreException("corrupt checkpoint record for partition " + partition + ": " + e.getMessage(), e);
    }
  }
}
