package io.canopy.store.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.canopy.core.ops.Overwrite;
import io.canopy.core.path.Path;
import io.canopy.core.tree.LeafNode;
import io.canopy.core.tree.Node;
import io.canopy.store.Checkpoint;
import io.canopy.store.FlushBatch;
import io.canopy.store.StoreException;
import io.canopy.store.TreeStore;
import io.canopy.store.testing.TreeStoreConformance;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;

/**
 * Holds {@link RocksDbTreeStore} to the {@link TreeStoreConformance} contract in a temporary directory, plus
 * what only this store promises: atomic flushes, lossless strings, exclusive and versioned directories.
 */
class RocksDbTreeStoreTest extends TreeStoreConformance {
  @TempDir
  java.nio.file.Path dir;

  private java.nio.file.Path storeDir() {
    return dir.resolve("store");
  }

  @Override
  protected TreeStore openStore() {
    return RocksDbTreeStore.open(storeDir());
  }

  @Override
  protected TreeStore reopenStore() {
    return RocksDbTreeStore.open(storeDir());
  }

  @Override
  protected boolean flushesAreAtomic() {
    return true;
  }

  @Test
  void keepsUnpairedSurrogatesInValuesApart() {
    // Keys with unpaired surrogates are invalid (Path rejects them); values and priorities may hold them.
    String lone = "k\uD83D\uDE00";
    store().apply(new FlushBatch(0, Map.of(NS, List.of(
        new Overwrite(Path.of(lone), LeafNode.of("v\uDC00", "p\uD801")),
        new Overwrite(Path.of("k?"), LeafNode.of("question")),
        new Overwrite(Path.of("k\uFFFD"), LeafNode.of("replacement")))), new Checkpoint(1, 1)));
    assertThat(store().childKeys(NS, Path.ROOT, 0)).containsExactlyInAnyOrder(lone, "k?", "k\uFFFD");
    assertThat(store().read(NS, Path.of(lone))).isEqualTo(LeafNode.of("v\uDC00", "p\uD801"));
    assertThat(store().read(NS, Path.of("k?"))).isEqualTo(LeafNode.of("question"));
  }

  @Test
  void refusesASecondOpenOfTheSameDirectory() {
    store();
    assertThatThrownBy(() -> RocksDbTreeStore.open(storeDir()))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining(storeDir().toString());
  }

  @Test
  void refusesAnUnknownFormat() throws Exception {
    store().close();
    try (DBOptions options = new DBOptions()) {
      List<ColumnFamilyDescriptor> families = List.of(
          new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY),
          new ColumnFamilyDescriptor("nodes".getBytes(StandardCharsets.US_ASCII)),
          new ColumnFamilyDescriptor("checkpoints".getBytes(StandardCharsets.US_ASCII)));
      List<ColumnFamilyHandle> handles = new java.util.ArrayList<>();
      try (RocksDB db = RocksDB.open(options, storeDir().toString(), families, handles)) {
        db.put(handles.get(0), "canopy.store.format".getBytes(StandardCharsets.US_ASCII), new byte[] {99});
        handles.forEach(ColumnFamilyHandle::close);
      }
    }
    assertThatThrownBy(() -> RocksDbTreeStore.open(storeDir()))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("format");
  }

  @Test
  void refusesAFileInPlaceOfTheDirectory() throws Exception {
    java.nio.file.Path file = Files.writeString(dir.resolve("file"), "not a directory");
    assertThatThrownBy(() -> RocksDbTreeStore.open(file)).isInstanceOf(StoreException.class)
        .hasMessageContaining(file.toString());
  }

  @Test
  void doesNotReadAnotherNamespacesKeysAsItsOwn() {
    store().apply(new FlushBatch(0, Map.of("ab", List.of(new Overwrite(Path.of("x"), LeafNode.of(1))),
        "a", List.of(new Overwrite(Path.of("y"), LeafNode.of(2)))), new Checkpoint(1, 1)));
    assertThat(store().childKeys("a", Path.ROOT, 0)).containsExactly("y");
    assertThat(store().read("ab", Path.ROOT).child("y")).isEqualTo(Node.empty());
  }
}
