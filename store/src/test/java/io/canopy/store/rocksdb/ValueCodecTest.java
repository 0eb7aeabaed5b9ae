package io.canopy.store.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.canopy.store.Checkpoint;
import io.canopy.store.StoreException;
import io.canopy.store.support.NodeRecord;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ValueCodecTest {
  @Test
  void roundTripsEveryKindOfRecord() {
    List<Object> values = new ArrayList<>(List.of("", "text", "😀 é \u0000", "x".repeat(100_000), true, false, 0.0,
        -0.0, 1.5, -1e300, Double.MIN_VALUE, Double.MAX_VALUE));
    values.add(null); // an object
    List<Object> priorities = new ArrayList<>(List.of("", "p", "é".repeat(200), 3.0, -0.5));
    priorities.add(null);
    for (Object value : values) {
      for (Object priority : priorities) {
        NodeRecord record = new NodeRecord(value, priority);
        assertThat(ValueCodec.decode(ValueCodec.encode(record))).as(record.toString()).isEqualTo(record);
      }
    }
  }

  @Test
  void isCompact() {
    assertThat(ValueCodec.encode(NodeRecord.object(null))).hasSize(1);
    assertThat(ValueCodec.encode(NodeRecord.leaf(true, null))).hasSize(1);
    assertThat(ValueCodec.encode(NodeRecord.leaf(2.0, null))).hasSize(9);
    assertThat(ValueCodec.encode(NodeRecord.leaf("abc", null))).hasSize(4);
    assertThat(ValueCodec.encode(NodeRecord.leaf("abc", "pq"))).hasSize(7);
    assertThat(ValueCodec.encode(NodeRecord.object(1.0))).hasSize(9);
  }

  @Test
  void roundTripsUnpairedSurrogates() {
    for (String s : List.of("\uD800", "a\uDC00b", "\uDBFF\uDFFF", "x\uD83D", "\uDE00y", "😀\uD800😀")) {
      NodeRecord record = NodeRecord.leaf(s, s);
      assertThat(ValueCodec.decode(ValueCodec.encode(record))).isEqualTo(record);
    }
  }

  @Test
  void rejectsCorruptRecords() {
    for (byte[] bad : List.of(new byte[0], new byte[] {7}, new byte[] {(byte) 0x80}, new byte[] {3, 1, 2},
        new byte[] {0x20 | 4, (byte) 0xFF}, new byte[] {0, 0})) {
      assertThatThrownBy(() -> ValueCodec.decode(bad)).isInstanceOf(StoreException.class)
          .hasMessageContaining("corrupt");
    }
  }

  @Test
  void roundTripsCheckpoints() {
    CheckpointCodec.Stored stored = new CheckpointCodec.Stored(new Checkpoint(Long.MAX_VALUE, 12, 3), 4);
    assertThat(CheckpointCodec.decode(1, CheckpointCodec.encode(stored))).isEqualTo(stored);
    // version 1 records (before fencing) read as epoch 0
    byte[] v1 = java.nio.ByteBuffer.allocate(17).put((byte) 1).putLong(7).putLong(8).array();
    assertThat(CheckpointCodec.decode(1, v1)).isEqualTo(new CheckpointCodec.Stored(new Checkpoint(7, 8, 0), 0));
    assertThat(CheckpointCodec.key(1)).containsExactly(0, 0, 0, 1);
    assertThatThrownBy(() -> CheckpointCodec.decode(1, new byte[] {1, 2})).isInstanceOf(StoreException.class);
  }
}
