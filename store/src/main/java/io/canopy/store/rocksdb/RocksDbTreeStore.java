package io.canopy.store.rocksdb;

import io.canopy.core.ops.Overwrite;
import io.canopy.core.path.KeyOrder;
import io.canopy.core.path.Path;
import io.canopy.core.tree.LeafNode;
import io.canopy.core.tree.Node;
import io.canopy.store.Checkpoint;
import io.canopy.store.FencedException;
import io.canopy.store.FlushBatch;
import io.canopy.store.StoreException;
import io.canopy.store.TreeStore;
import io.canopy.store.support.FlushPlanner;
import io.canopy.store.support.Namespaces;
import io.canopy.store.support.NodeRecord;
import io.canopy.store.support.StoreMutation;
import io.canopy.store.support.TreeAssembler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.RocksObject;
import org.rocksdb.Slice;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded {@link TreeStore}: every namespace's tree as materialized paths in one RocksDB database.
 *
 * <p><b>Layout.</b> Column family {@code nodes} holds one record per node, keyed by {@link KeyCodec} (namespace,
 * then the path's keys behind separator bytes, so a subtree is one key range) with a {@link ValueCodec} value (a
 * leaf's value and priority, or an object's priority). Column family {@code checkpoints} holds one
 * {@link CheckpointCodec} record per partition; the default column family holds the format version.
 *
 * <p><b>Writes.</b> {@link #apply} plans every namespace of the batch from one snapshot ({@link FlushPlanner}),
 * then writes all their mutations and the checkpoint in one {@link WriteBatch} with a synced WAL write: the flush
 * is atomic and durable (it survives power loss) once {@code apply} returns. Costs: one {@code multiGet} of the
 * ancestors per namespace, one seek per overwrite, one put per written node, one range deletion per replaced
 * subtree that had descendants, and one fsync per flush. The checkpoint record also holds the partition's owner
 * epoch: {@link #claim} raises it and {@link #apply} commits only if it is not above the batch's epoch, both under
 * one lock, so a fenced processor's flush changes nothing.
 *
 * <p><b>Reads.</b> {@link #read} is one iterator over the subtree's key range (consistent: an iterator reads one
 * implicit snapshot) costing one step per node below the path; {@link #childKeys} seeks once per child, past each
 * child's subtree, so it never walks grandchildren; {@link #exists} is one point lookup (with a bloom filter).
 *
 * <p><b>Threads.</b> Reads and applies run concurrently; {@link #close} waits for running calls, and calls after
 * it fail with {@link IllegalStateException} (never with a native crash). Only one process may open a directory.
 */
public final class RocksDbTreeStore implements TreeStore {
  private static final Logger log = LoggerFactory.getLogger(RocksDbTreeStore.class);

  private static final byte[] NODES = "nodes".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] CHECKPOINTS = "checkpoints".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] FORMAT_KEY = "canopy.store.format".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] FORMAT_VERSION = {1};

  static {
    RocksDB.loadLibrary();
  }

  private final java.nio.file.Path dir;
  private final RocksDB db;
  private final ColumnFamilyHandle nodes;
  private final ColumnFamilyHandle checkpoints;
  /** Serializes claims with the fence check and commit of flushes. */
  private final Object fence = new Object();
  /** Everything to close after the database, in order. */
  private final List<RocksObject> resources;
  /** Column family handles, closed before the database. */
  private final List<ColumnFamilyHandle> handles;
  private final WriteOptions syncWrites;
  private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
  private boolean closed;

  private RocksDbTreeStore(java.nio.file.Path dir, RocksDB db, List<ColumnFamilyHandle> handles,
      List<RocksObject> resources) {
    this.dir = dir;
    this.db = db;
    this.handles = handles;
    this.nodes = handles.get(1);
    this.checkpoints = handles.get(2);
    this.syncWrites = new WriteOptions().setSync(true);
    this.resources = new ArrayList<>(resources);
    this.resources.add(syncWrites);
  }

  /**
   * Opens (creating if needed) the store in {@code dir}. Throws {@link StoreException} if the directory cannot be
   * created, is in use by another process, or holds data of another format.
   */
  public static RocksDbTreeStore open(java.nio.file.Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new StoreException("cannot create the store directory " + dir + ": " + e, e);
    }
    List<RocksObject> resources = new ArrayList<>();
    List<ColumnFamilyHandle> handles = new ArrayList<>();
    RocksDB db = null;
    try {
      BloomFilter bloom = new BloomFilter(10);
      resources.add(bloom);
      ColumnFamilyOptions nodeOptions = new ColumnFamilyOptions()
          .setTableFormatConfig(new BlockBasedTableConfig().setFilterPolicy(bloom));
      resources.add(nodeOptions);
      ColumnFamilyOptions plainOptions = new ColumnFamilyOptions();
      resources.add(plainOptions);
      DBOptions dbOptions = new DBOptions()
          .setCreateIfMissing(true)
          .setCreateMissingColumnFamilies(true)
          .setKeepLogFileNum(5);
      resources.add(dbOptions);
      List<ColumnFamilyDescriptor> families = List.of(
          new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, plainOptions),
          new ColumnFamilyDescriptor(NODES, nodeOptions),
          new ColumnFamilyDescriptor(CHECKPOINTS, plainOptions));
      db = RocksDB.open(dbOptions, dir.toString(), families, handles);
      checkFormat(db, handles.get(0), dir);
      RocksDbTreeStore store = new RocksDbTreeStore(dir, db, handles, resources);
      log.info("Opened RocksDB tree store at {}", dir);
      return store;
    } catch (RocksDBException | RuntimeException e) {
      handles.forEach(ColumnFamilyHandle::close);
      if (db != null) {
        db.close();
      }
      resources.forEach(RocksObject::close);
      if (e instanceof StoreException se) {
        throw se;
      }
      throw new StoreException("cannot open the RocksDB store at " + dir + ": " + e.getMessage(), e);
    }
  }

  private static void checkFormat(RocksDB db, ColumnFamilyHandle defaultFamily, java.nio.file.Path dir)
      throws RocksDBException {
    byte[] format = db.get(defaultFamily, FORMAT_KEY);
    if (format == null) {
      try (WriteOptions sync = new WriteOptions().setSync(true)) {
        db.put(defaultFamily, sync, FORMAT_KEY, FORMAT_VERSION);
      }
    } else if (!Arrays.equals(format, FORMAT_VERSION)) {
      throw new StoreException("the store at " + dir + " has format " + Arrays.toString(format)
          + ", this version reads only " + Arrays.toString(FORMAT_VERSION));
    }
  }

  @Override
  public Node read(String namespace, Path path) {
    return guarded("read", path, () -> {
      Namespaces.validate(namespace);
      if (path.isPriorityPath()) {
        NodeRecord owner = record(namespace, path.parent());
        return owner == null || owner.priority() == null ? Node.empty() : LeafNode.of(owner.priority());
      }
      byte[] key = KeyCodec.nodeKey(namespace, path);
      TreeAssembler tree = new TreeAssembler();
      try (Slice end = new Slice(KeyCodec.subtreeEnd(key));
          ReadOptions options = new ReadOptions().setIterateUpperBound(end);
          RocksIterator it = db.newIterator(nodes, options)) {
        for (it.seek(key); it.isValid(); it.next()) {
          tree.add(KeyCodec.relativeKeys(it.key(), key.length), ValueCodec.decode(it.value()));
        }
        it.status();
      }
      return tree.build();
    });
  }

  @Override
  public boolean exists(String namespace, Path path) {
    return guarded("exists", path, () -> {
      Namespaces.validate(namespace);
      if (path.isPriorityPath()) {
        NodeRecord owner = record(namespace, path.parent());
        return owner != null && owner.priority() != null;
      }
      return db.keyExists(nodes, KeyCodec.nodeKey(namespace, path));
    });
  }

  @Override
  public List<String> childKeys(String namespace, Path path, int limit) {
    return guarded("childKeys", path, () -> {
      Namespaces.validate(namespace);
      List<String> keys = new ArrayList<>();
      if (path.isPriorityPath()) {
        return keys;
      }
      byte[] key = KeyCodec.nodeKey(namespace, path);
      byte[] prefix = KeyCodec.descendantsStart(key);
      try (Slice end = new Slice(KeyCodec.subtreeEnd(key));
          ReadOptions options = new ReadOptions().setIterateUpperBound(end);
          RocksIterator it = db.newIterator(nodes, options)) {
        it.seek(prefix);
        while (it.isValid() && (limit <= 0 || keys.size() < limit)) {
          byte[] child = it.key();
          int segmentEnd = KeyCodec.segmentEnd(child, prefix.length);
          keys.add(KeyCodec.segment(child, prefix.length, segmentEnd));
          it.seek(KeyCodec.subtreeEnd(child, segmentEnd)); // skip the child's subtree
        }
        it.status();
      }
      keys.sort(KeyOrder.COMPARATOR);
      return keys;
    });
  }

  @Override
  public void apply(FlushBatch batch) {
    guarded("apply to partition", batch.partition(), () -> {
      long started = System.nanoTime();
      Map<String, FlushPlanner> planners = new TreeMap<>();
      for (Map.Entry<String, List<Overwrite>> e : batch.writes().entrySet()) {
        planners.put(Namespaces.validate(e.getKey()), FlushPlanner.of(e.getValue()));
      }
      Map<String, List<StoreMutation>> plans = new TreeMap<>();
      try (RocksDbStateReader reader = new RocksDbStateReader(db, nodes)) {
        for (Map.Entry<String, FlushPlanner> e : planners.entrySet()) {
          plans.put(e.getKey(), e.getValue().plan(reader.forNamespace(e.getKey())));
        }
      }
      try (WriteBatch writeBatch = new WriteBatch()) {
        BatchWriter writer = new BatchWriter(writeBatch, nodes);
        for (Map.Entry<String, List<StoreMutation>> e : plans.entrySet()) {
          writer.add(e.getKey(), e.getValue());
        }
        // The fence: check the owner epoch and commit under one lock that claim() also takes.
        synchronized (fence) {
          CheckpointCodec.Stored stored = stored(batch.partition());
          long epoch = batch.checkpoint().epoch();
          if (stored.ownerEpoch() > epoch) {
            throw new FencedException(batch.partition(), epoch, stored.ownerEpoch());
          }
          writeBatch.put(checkpoints, CheckpointCodec.key(batch.partition()),
              CheckpointCodec.encode(new CheckpointCodec.Stored(batch.checkpoint(), stored.ownerEpoch())));
          db.write(syncWrites, writeBatch);
        }
        if (log.isDebugEnabled()) {
          log.debug("Applied partition {} flush: {} namespaces, {} overwrites, {} puts, {} deletes, {} bytes, "
                  + "checkpoint {} in {} ms", batch.partition(), plans.size(), batch.overwriteCount(),
              writer.puts(), writer.deletes(), writeBatch.getDataSize(), batch.checkpoint(),
              (System.nanoTime() - started) / 1_000_000);
        }
      }
      return null;
    });
  }

  @Override
  public Checkpoint checkpoint(int partition) {
    if (partition < 0) {
      throw new IllegalArgumentException("partition must be >= 0");
    }
    return guarded("checkpoint of partition", partition, () -> stored(partition).checkpoint());
  }

  @Override
  public long claim(int partition) {
    if (partition < 0) {
      throw new IllegalArgumentException("partition must be >= 0");
    }
    return guarded("claim of partition", partition, () -> {
      synchronized (fence) {
        CheckpointCodec.Stored stored = stored(partition);
        long epoch = Math.max(stored.ownerEpoch(), stored.checkpoint().epoch()) + 1;
        db.put(checkpoints, syncWrites, CheckpointCodec.key(partition),
            CheckpointCodec.encode(new CheckpointCodec.Stored(stored.checkpoint(), epoch)));
        return epoch;
      }
    });
  }

  private CheckpointCodec.Stored stored(int partition) throws RocksDBException {
    byte[] value = db.get(checkpoints, CheckpointCodec.key(partition));
    return value == null ? CheckpointCodec.Stored.NONE : CheckpointCodec.decode(partition, value);
  }

  /** The record at {@code path}, or null. */
  private NodeRecord record(String namespace, Path path) throws RocksDBException {
    byte[] value = db.get(nodes, KeyCodec.nodeKey(namespace, path));
    return value == null ? null : ValueCodec.decode(value);
  }

  @Override
  public void close() {
    Lock lock = lifecycle.writeLock();
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      db.cancelAllBackgroundWork(true);
      handles.forEach(ColumnFamilyHandle::close);
      try {
        db.closeE();
      } catch (RocksDBException e) {
        log.warn("Closing the RocksDB store at {} reported: {}", dir, e.getMessage());
      }
      resources.forEach(RocksObject::close);
      log.info("Closed RocksDB tree store at {}", dir);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public String toString() {
    return "RocksDbTreeStore[" + dir + "]";
  }

  @FunctionalInterface
  private interface RocksCall<T> {
    T run() throws RocksDBException;
  }

  /** Runs {@code call} unless the store is closed, keeping it open meanwhile; maps RocksDB failures. */
  private <T> T guarded(String operation, Object subject, RocksCall<T> call) {
    Lock lock = lifecycle.readLock();
    lock.lock();
    try {
      if (closed) {
        throw new IllegalStateException(this + " is closed");
      }
      return call.run();
    } catch (RocksDBException e) {
      throw new StoreException(operation + " " + subject + " failed in " + this + ": " + e.getMessage(), e);
    } finally {
      lock.unlock();
    }
  }
}
