package io.canopy.store;

import io.canopy.core.ops.TreeReader;
import io.canopy.core.path.Path;
import io.canopy.core.tree.Node;
import java.util.List;

/**
 * The durable home of every namespace's tree, written only by the processor in flushes and read by everyone.
 *
 * <p>Contract (held by {@code TreeStoreConformance}, which every implementation runs):
 * <ul>
 *   <li><b>Model.</b> Namespaces are independent trees, created on first write. The state after
 *       {@link #apply} equals {@link io.canopy.core.ops.Overwrites#applyBatch} of each namespace's overwrites: every
 *       subtree at a path is replaced (empty deletes it), ancestors are created as objects (a leaf ancestor
 *       becomes an object keeping its priority), and ancestors left without children once the WHOLE batch is in
 *       vanish (an ancestor that still has children keeps its priority, even if a delete of the batch removed
 *       its other children). A batch's paths never overlap within a namespace, so their order does not matter.
 *   <li><b>Replay safety.</b> Applying the same batch again (after a crash anywhere inside {@code apply})
 *       leaves the same state. The checkpoint is made durable no earlier than the data it covers.
 *   <li><b>Checkpoints before snapshots.</b> A reader that needs both calls {@link #checkpoint} first and reads
 *       data afterwards; the data is then at least as new as the checkpoint, never older.
 *   <li><b>Fencing.</b> Each partition has an owner epoch; {@link #claim} raises it, and {@link #apply} of a
 *       batch whose checkpoint epoch is lower changes nothing and throws {@link FencedException}. A processor
 *       that lost its partition without noticing can therefore never overwrite the new owner's data.
 *   <li><b>Threads.</b> Reads may run concurrently with each other and with one writer; {@link #apply} calls
 *       are not concurrent for the same partition.
 * </ul>
 */
public interface TreeStore extends AutoCloseable {

  /** The subtree at {@code path}, with priorities; empty if absent. */
  Node read(String namespace, Path path);

  /** True if a node exists at {@code path} (cheaper than {@link #read}). */
  boolean exists(String namespace, Path path);

  /**
   * The keys of the children of the node at {@code path}, in Firebase key order; empty for a leaf or an absent
   * node. At most {@code limit} keys when {@code limit > 0} (which ones is unspecified beyond that they exist).
   */
  List<String> childKeys(String namespace, Path path, int limit);

  /**
   * Applies one flush and then records its checkpoint; replay-safe (see the class contract). Fenced: if the
   * partition's owner epoch ({@link #claim}) is above the checkpoint's epoch, nothing is written and a
   * {@link FencedException} is thrown.
   */
  void apply(FlushBatch batch);

  /**
   * Makes the caller the owner of {@code partition}: durably raises the partition's owner epoch above every
   * epoch claimed or checkpointed before and returns it. From then on flushes of older epochs are refused,
   * atomically with respect to a flush in progress (it lands entirely before the claim or not at all).
   */
  long claim(int partition);

  /** The last checkpoint recorded for {@code partition}, or {@link Checkpoint#NONE}. */
  Checkpoint checkpoint(int partition);

  /** This store's view of one namespace, as the op-tree reads it. */
  default TreeReader reader(String namespace) {
    TreeStore store = this;
    return new TreeReader() {
      @Override
      public Node read(Path path) {
        return store.read(namespace, path);
      }

      @Override
      public boolean exists(Path path) {
        return store.exists(namespace, path);
      }

      @Override
      public List<String> childKeys(Path path, int limit) {
        return store.childKeys(namespace, path, limit);
      }
    };
  }

  /** Releases resources; idempotent. */
  @Override
  void close();
}
