package io.canopy.store.rocksdb;

import io.canopy.core.tree.ChildrenNode;
import io.canopy.core.tree.Node;
import io.canopy.store.support.NodeRecord;
import io.canopy.store.support.StoreMutation;
import io.canopy.store.support.StoreMutation.DeleteNode;
import io.canopy.store.support.StoreMutation.PutObject;
import io.canopy.store.support.StoreMutation.ReplaceSubtree;
import java.util.List;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

/**
 * Adds planned mutations to a {@link WriteBatch}: a replaced subtree's descendants go with one range deletion
 * (only when the planner saw any), every node written is one put, every removed node one delete. Operations of
 * one batch apply in order, so a put after a range deletion of the same keys wins.
 */
final class BatchWriter {
  private final WriteBatch batch;
  private final ColumnFamilyHandle nodes;
  private int puts;
  private int deletes;

  BatchWriter(WriteBatch batch, ColumnFamilyHandle nodes) {
    this.batch = batch;
    this.nodes = nodes;
  }

  void add(String namespace, List<StoreMutation> mutations) throws RocksDBException {
    for (StoreMutation m : mutations) {
      byte[] key = KeyCodec.nodeKey(namespace, m.path());
      if (m instanceof ReplaceSubtree r) {
        if (r.clearDescendants()) {
          batch.deleteRange(nodes, KeyCodec.descendantsStart(key), KeyCodec.subtreeEnd(key));
          deletes++;
        }
        if (r.value().isEmpty()) {
          delete(key);
        } else {
          putTree(key, r.value());
        }
      } else if (m instanceof PutObject p) {
        put(key, NodeRecord.object(p.priority()));
      } else if (m instanceof DeleteNode) {
        delete(key);
      } else {
        throw new IllegalStateException("unknown mutation " + m);
      }
    }
  }

  int puts() {
    return puts;
  }

  int deletes() {
    return deletes;
  }

  private void putTree(byte[] key, Node node) throws RocksDBException {
    put(key, NodeRecord.of(node));
    if (node instanceof ChildrenNode object) {
      for (int i = 0; i < object.childCount(); i++) {
        putTree(KeyCodec.childKey(key, object.keyAt(i)), object.childAt(i));
      }
    }
  }

  private void put(byte[] key, NodeRecord record) throws RocksDBException {
    batch.put(nodes, key, ValueCodec.encode(record));
    puts++;
  }

  private void delete(byte[] key) throws RocksDBException {
    batch.delete(nodes, key);
    deletes++;
  }
}
