package io.canopy.store.rocksdb;

import io.canopy.core.path.Path;
import io.canopy.store.StoreException;
import io.canopy.store.support.NodeRecord;
import io.canopy.store.support.StateReader;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Snapshot;

/**
 * The planner's reads for one flush, all from one RocksDB snapshot taken when it is created. Point reads are one
 * {@code multiGet} per namespace; descendant and child probes reuse one iterator and cost one seek each (plus one
 * per skipped child). Not thread-safe; close it before writing the flush.
 */
final class RocksDbStateReader implements AutoCloseable {
  private final RocksDB db;
  private final ColumnFamilyHandle nodes;
  private final Snapshot snapshot;
  private final ReadOptions readOptions;
  private RocksIterator iterator;

  RocksDbStateReader(RocksDB db, ColumnFamilyHandle nodes) {
    this.db = db;
    this.nodes = nodes;
    this.snapshot = db.getSnapshot();
    this.readOptions = new ReadOptions().setSnapshot(snapshot);
  }

  /** The reader for one (valid) namespace. */
  StateReader forNamespace(String namespace) {
    return new StateReader() {
      @Override
      public Map<Path, NodeRecord> records(Collection<Path> paths) {
        List<Path> list = new ArrayList<>(paths);
        List<byte[]> keys = new ArrayList<>(list.size());
        for (Path p : list) {
          keys.add(KeyCodec.nodeKey(namespace, p));
        }
        List<byte[]> values;
        try {
          values = db.multiGetAsList(readOptions, Collections.nCopies(keys.size(), nodes), keys);
        } catch (RocksDBException e) {
          throw new StoreException("reading " + keys.size() + " records of namespace " + namespace + " failed: "
              + e.getMessage(), e);
        }
        Map<Path, NodeRecord> out = new HashMap<>();
        for (int i = 0; i < list.size(); i++) {
          if (values.get(i) != null) {
            out.put(list.get(i), ValueCodec.decode(values.get(i)));
          }
        }
        return out;
      }

      @Override
      public boolean hasDescendants(Path path) {
        byte[] prefix = KeyCodec.descendantsStart(KeyCodec.nodeKey(namespace, path));
        RocksIterator it = iterator();
        it.seek(prefix);
        return valid(it) && KeyCodec.hasPrefix(it.key(), prefix);
      }

      @Override
      public boolean hasChildOtherThan(Path parent, Set<String> excludedKeys) {
        byte[] prefix = KeyCodec.descendantsStart(KeyCodec.nodeKey(namespace, parent));
        RocksIterator it = iterator();
        it.seek(prefix);
        while (valid(it)) {
          byte[] key = it.key();
          if (!KeyCodec.hasPrefix(key, prefix)) {
            return false;
          }
          int end = KeyCodec.segmentEnd(key, prefix.length);
          if (!excludedKeys.contains(KeyCodec.segment(key, prefix.length, end))) {
            return true;
          }
          it.seek(KeyCodec.subtreeEnd(key, end));
        }
        return false;
      }
    };
  }

  private RocksIterator iterator() {
    if (iterator == null) {
      iterator = db.newIterator(nodes, readOptions);
    }
    return iterator;
  }

  private static boolean valid(RocksIterator it) {
    if (it.isValid()) {
      return true;
    }
    try {
      it.status();
    } catch (RocksDBException e) {
      throw new StoreException("iterating the store failed: " + e.getMessage(), e);
    }
    return false;
  }

  @Override
  public void close() {
    if (iterator != null) {
      iterator.close();
    }
    readOptions.close();
    db.releaseSnapshot(snapshot);
  }
}
