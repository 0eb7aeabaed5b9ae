package io.canopy.store;

import io.canopy.core.ops.Overwrite;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One flush of one write-log partition: per namespace, overwrites whose paths are pairwise non-overlapping (none
 * contains another), and the checkpoint the partition reaches once they are applied.
 */
public record FlushBatch(int partition, Map<String, List<Overwrite>> writes, Checkpoint checkpoint) {
  public FlushBatch {
    Objects.requireNonNull(writes, "writes");
    Objects.requireNonNull(checkpoint, "checkpoint");
    if (partition < 0) {
      throw new IllegalArgumentException("partition must be >= 0");
    }
    writes = Map.copyOf(writes);
  }

  public int overwriteCount() {
    return writes.values().stream().mapToInt(List::size).sum();
  }
}
