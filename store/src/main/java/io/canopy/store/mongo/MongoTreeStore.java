package io.canopy.store.mongo;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.lte;
import static com.mongodb.client.model.Filters.or;
import static com.mongodb.client.model.Updates.combine;
import static com.mongodb.client.model.Updates.inc;
import static com.mongodb.client.model.Updates.set;
import static com.mongodb.client.model.Projections.include;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoException;
import com.mongodb.MongoWriteException;
import com.mongodb.client.ClientSession;
import com.mongodb.connection.ClusterType;
import org.bson.conversions.Bson;
import com.mongodb.ReadPreference;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.WriteModel;
import io.canopy.core.ops.Overwrite;
import io.canopy.core.path.KeyOrder;
import io.canopy.core.path.Path;
import io.canopy.core.rules.RulesNamespace;
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
import io.canopy.store.support.TreeAssembler;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The clustered {@link TreeStore}: materialized paths in MongoDB, one database per namespace.
 *
 * <p><b>Layout.</b> Namespace {@code ns} lives in database {@code <prefix>ns}, collection {@code nodes}, one
 * document per node (see {@link NodeDocuments}), with an index on the parent path {@code p} created the first
 * time this store writes to the namespace. Checkpoints live in database {@code <prefix>meta}, collection
 * {@code checkpoints}, {@code {_id: <partition>, writesOffset, changesOffset, epoch, owner}}. (A namespace named {@code meta}
 * shares that database, in its own collection.) Security rules ({@link RulesNamespace}) live in database
 * {@code <prefix>_rules}, one collection per namespace, laid out like {@code nodes}.
 *
 * <p><b>Writes.</b> {@link #apply} plans every namespace first ({@link FlushPlanner}: one {@code $in} query for
 * the ancestors of the overwrites, plus one {@code p}-index query per ancestor whose overwritten children all
 * end up empty), then sends one ordered {@code bulkWrite} per namespace (range {@code deleteMany}s for replaced
 * subtrees, one upsert or insert per written node, ancestor upserts and deletes), then upserts the checkpoint.
 * On a standalone server there is no transaction: a reader may see a flush half applied, and a crash may leave
 * it so. That is safe because the checkpoint is written last and every write is absolute: re-running the flush
 * converges. On a replica set (or sharded cluster) the bulk writes and the checkpoint commit in one transaction.
 *
 * <p><b>Fencing.</b> The checkpoint document also holds the partition's owner epoch ({@code owner}, raised by
 * {@link #claim}); the checkpoint write is guarded by {@code owner <= epoch of the flush}. In a transaction that
 * guard is the first write, so a concurrent claim either waits for the flush or fails it, and a fenced flush
 * writes nothing. Standalone, the owner epoch is read before the data is written: a claim that lands between that
 * read and the checkpoint write is detected (and logged) only after the data went in.
 *
 * <p><b>Durability.</b> Writes use the write concern of the {@link MongoClient} passed in. Acknowledged
 * durability needs {@code w: "majority"} with journaling ({@code ?w=majority&journal=true} in the connection
 * string), which is what production uses; a weaker concern makes a flush "done" before it is safe.
 *
 * <p><b>Reads.</b> All reads go to the primary (whatever the client's read preference), so a checkpoint read
 * before a snapshot is never newer than the snapshot. {@link #read} is one range scan of the {@code _id} index,
 * {@link #childKeys} one query on the {@code p} index, {@link #exists} one {@code _id} lookup.
 *
 * <p>The store does not own the client: {@link #close} only stops this store, the caller closes the client.
 */
public final class MongoTreeStore implements TreeStore {
  public static final String DEFAULT_DATABASE_PREFIX = "canopy_";
  /** Leaves room for the longest namespace within MongoDB's 63-character database names. */
  public static final int MAX_PREFIX_LENGTH = 63 - Namespaces.MAX_LENGTH;

  static final String NODES = "nodes";
  // "_meta" cannot clash with a namespace: namespaces have no underscore.
  static final String META_DATABASE = "_meta";
  static final String RULES_DATABASE = "_rules";
  static final String CHECKPOINTS = "checkpoints";
  private static final String WRITES_OFFSET = "writesOffset";
  private static final String CHANGES_OFFSET = "changesOffset";
  private static final String EPOCH = "epoch";
  private static final String OWNER = "owner";
  private static final FindOneAndUpdateOptions CLAIM =
      new FindOneAndUpdateOptions().upsert(true).returnDocument(ReturnDocument.AFTER);

  private static final Logger log = LoggerFactory.getLogger(MongoTreeStore.class);
  private static final BulkWriteOptions ORDERED = new BulkWriteOptions().ordered(true);
  private static final UpdateOptions UPSERT = new UpdateOptions().upsert(true);

  private final MongoClient client;
  private final String prefix;
  private final MongoCollection<Document> checkpoints;
  private final Map<String, MongoCollection<Document>> collections = new ConcurrentHashMap<>();
  private final Set<String> indexed = ConcurrentHashMap.newKeySet();
  private volatile Boolean transactional;
  private volatile boolean closed;

  /** A store over {@code client} with the database prefix {@value #DEFAULT_DATABASE_PREFIX}. */
  public MongoTreeStore(MongoClient client) {
    this(client, DEFAULT_DATABASE_PREFIX);
  }

  /**
   * A store over {@code client} whose databases are named {@code databasePrefix + namespace} and
   * {@code databasePrefix + "_meta"}. The prefix is up to {@value #MAX_PREFIX_LENGTH} characters out of
   * {@code A-Z a-z 0-9 _ -}.
   */
  public MongoTreeStore(MongoClient client, String databasePrefix) {
    this.client = Objects.requireNonNull(client, "client");
    this.prefix = validatePrefix(databasePrefix);
    this.checkpoints = client.getDatabase(prefix + META_DATABASE)
        .withReadPreference(ReadPreference.primary())
        .getCollection(CHECKPOINTS);
  }

  private static String validatePrefix(String prefix) {
    Objects.requireNonNull(prefix, "databasePrefix");
    if (prefix.length() > MAX_PREFIX_LENGTH || !prefix.matches("[A-Za-z0-9_-]*")) {
      throw new IllegalArgumentException("invalid database prefix \"" + prefix + "\": up to " + MAX_PREFIX_LENGTH
          + " characters out of A-Z, a-z, 0-9, '_' and '-'");
    }
    return prefix;
  }

  @Override
  public Node read(String namespace, Path path) {
    MongoCollection<Document> nodes = nodes(namespace);
    return call("read", namespace, path, () -> {
      if (path.isPriorityPath()) {
        NodeRecord owner = record(nodes, path.parent());
        return owner == null || owner.priority() == null ? Node.empty() : LeafNode.of(owner.priority());
      }
      String id = NodeDocuments.id(path);
      TreeAssembler tree = new TreeAssembler();
      for (Document d : nodes.find(NodeDocuments.subtree(id))) {
        tree.add(NodeDocuments.relativeKeys(d.getString(NodeDocuments.ID), id), NodeDocuments.toRecord(d));
      }
      return tree.build();
    });
  }

  @Override
  public boolean exists(String namespace, Path path) {
    MongoCollection<Document> nodes = nodes(namespace);
    return call("exists", namespace, path, () -> {
      if (path.isPriorityPath()) {
        NodeRecord owner = record(nodes, path.parent());
        return owner != null && owner.priority() != null;
      }
      return nodes.find(eq(NodeDocuments.ID, NodeDocuments.id(path)))
          .projection(include(NodeDocuments.ID))
          .limit(1)
          .first() != null;
    });
  }

  @Override
  public List<String> childKeys(String namespace, Path path, int limit) {
    MongoCollection<Document> nodes = nodes(namespace);
    return call("childKeys", namespace, path, () -> {
      List<String> keys = new ArrayList<>();
      if (path.isPriorityPath()) {
        return keys;
      }
      var children = nodes.find(eq(NodeDocuments.PARENT, NodeDocuments.id(path)))
          .projection(include(NodeDocuments.ID));
      if (limit > 0) {
        children.limit(limit);
      }
      for (Document d : children) {
        keys.add(NodeDocuments.lastKey(d.getString(NodeDocuments.ID)));
      }
      keys.sort(KeyOrder.COMPARATOR);
      return keys;
    });
  }

  @Override
  public void apply(FlushBatch batch) {
    ensureOpen();
    long started = System.nanoTime();
    Map<String, FlushPlanner> planners = new TreeMap<>();
    for (Map.Entry<String, List<Overwrite>> e : batch.writes().entrySet()) {
      Namespaces.validate(e.getKey());
      if (!e.getValue().isEmpty()) {
        planners.put(e.getKey(), FlushPlanner.of(e.getValue()));
      }
    }
    Map<String, List<WriteModel<Document>>> bulks = new LinkedHashMap<>();
    call("plan flush of partition", batch.partition(), Path.ROOT, () -> {
      for (Map.Entry<String, FlushPlanner> e : planners.entrySet()) {
        MongoStateReader reader = new MongoStateReader(writableNodes(e.getKey()));
        bulks.put(e.getKey(), BulkWriteBuilder.models(e.getValue().plan(reader)));
      }
      return null;
    });
    Checkpoint cp = batch.checkpoint();
    int models = bulks.values().stream().mapToInt(List::size).sum();
    if (transactional()) {
      // Data and checkpoint commit together; the guard write takes the checkpoint document first, so a claim
      // either waits for this transaction or makes it fail.
      call("transactional flush of partition", batch.partition(), Path.ROOT, () -> {
        try (ClientSession session = client.startSession()) {
          return session.withTransaction(() -> {
            writeCheckpoint(session, batch.partition(), cp);
            writeBulks(session, bulks);
            return null;
          });
        }
      });
    } else {
      // Standalone MongoDB has no transactions: check the fence first, then write data and (guarded) checkpoint.
      // A claim landing between the check and the writes is not caught; production runs a replica set.
      long owner = ownerEpoch(batch.partition());
      if (owner > cp.epoch()) {
        throw new FencedException(batch.partition(), cp.epoch(), owner);
      }
      writeBulks(null, bulks);
      writeCheckpoint(null, batch.partition(), cp);
    }
    if (log.isDebugEnabled()) {
      log.debug("Applied partition {} flush: {} namespaces, {} overwrites, {} write models, checkpoint {} in {} ms",
          batch.partition(), bulks.size(), batch.overwriteCount(), models, cp,
          (System.nanoTime() - started) / 1_000_000);
    }
  }

  private void writeBulks(ClientSession session, Map<String, List<WriteModel<Document>>> bulks) {
    for (Map.Entry<String, List<WriteModel<Document>>> e : bulks.entrySet()) {
      if (!e.getValue().isEmpty()) {
        MongoCollection<Document> nodes = nodes(e.getKey());
        call("bulk write", e.getKey(), Path.ROOT, () -> session == null ? nodes.bulkWrite(e.getValue(), ORDERED)
            : nodes.bulkWrite(session, e.getValue(), ORDERED));
      }
    }
  }

  /** Records the checkpoint unless the partition's owner epoch is above its epoch (then: fenced). */
  private void writeCheckpoint(ClientSession session, int partition, Checkpoint cp) {
    Bson mine = and(eq(NodeDocuments.ID, partition), or(Filters.exists(OWNER, false), lte(OWNER, cp.epoch())));
    Bson update = combine(set(WRITES_OFFSET, cp.writesOffset()), set(CHANGES_OFFSET, cp.changesOffset()),
        set(EPOCH, cp.epoch()));
    try {
      if (session == null) {
        checkpoints.updateOne(mine, update, UPSERT);
      } else {
        checkpoints.updateOne(session, mine, update, UPSERT);
      }
    } catch (MongoWriteException e) {
      if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
        throw new StoreException("write checkpoint of partition " + partition + " failed in " + this + ": "
            + e.getMessage(), e);
      }
      // The guard did not match an existing document: someone claimed the partition with a newer epoch.
      long owner = ownerEpoch(partition);
      if (session == null) {
        log.error("Partition {}: a claim by owner epoch {} landed during a flush of epoch {} on a standalone MongoDB"
            + " (no transactions): that flush's data may have overwritten the new owner's", partition, owner,
            cp.epoch());
      }
      throw new FencedException(partition, cp.epoch(), owner);
    } catch (MongoException e) {
      throw new StoreException("write checkpoint of partition " + partition + " failed in " + this + ": "
          + e.getMessage(), e);
    }
  }

  @Override
  public long claim(int partition) {
    if (partition < 0) {
      throw new IllegalArgumentException("partition must be >= 0");
    }
    ensureOpen();
    return call("claim partition", partition, Path.ROOT, () -> {
      Document d = checkpoints.findOneAndUpdate(eq(NodeDocuments.ID, partition), inc(OWNER, 1L), CLAIM);
      return number(d, OWNER, partition);
    });
  }

  private long ownerEpoch(int partition) {
    return call("read owner epoch of partition", partition, Path.ROOT, () -> {
      Document d = checkpoints.find(eq(NodeDocuments.ID, partition)).first();
      return d == null || d.get(OWNER) == null ? 0L : number(d, OWNER, partition);
    });
  }

  /**
   * Whether flushes run in transactions: on a replica set or a sharded cluster (decided once, when the driver
   * first knows what it is connected to).
   */
  private boolean transactional() {
    Boolean t = transactional;
    if (t == null) {
      ClusterType type = client.getClusterDescription().getType();
      if (type == ClusterType.UNKNOWN) {
        ownerEpoch(0); // connect
        type = client.getClusterDescription().getType();
      }
      t = type == ClusterType.REPLICA_SET || type == ClusterType.SHARDED;
      transactional = t;
      if (t) {
        log.info("MongoDB is a {}: flushes commit in transactions, fenced atomically", type);
      } else {
        log.warn("MongoDB is {} (no transactions): flushes are fenced by a check before each flush, which a claim"
            + " landing mid-flush can slip past; run a replica set in production", type);
      }
    }
    return t;
  }

  private static long number(Document d, String field, int partition) {
    if (d == null || !(d.get(field) instanceof Number n)) {
      throw new StoreException("corrupt checkpoint document for partition " + partition + ": "
          + (d == null ? "missing" : d.toJson()));
    }
    return n.longValue();
  }

  @Override
  public Checkpoint checkpoint(int partition) {
    if (partition < 0) {
      throw new IllegalArgumentException("partition must be >= 0");
    }
    ensureOpen();
    return call("read checkpoint of partition", partition, Path.ROOT, () -> {
      Document d = checkpoints.find(eq(NodeDocuments.ID, partition)).first();
      if (d == null) {
        return Checkpoint.NONE;
      }
      if (d.get(WRITES_OFFSET) == null) {
        return Checkpoint.NONE; // claimed, never flushed
      }
      long epoch = d.get(EPOCH) == null ? 0 : number(d, EPOCH, partition);
      try {
        return new Checkpoint(number(d, WRITES_OFFSET, partition), number(d, CHANGES_OFFSET, partition), epoch);
      } catch (IllegalArgumentException e) {
        throw new StoreException("corrupt checkpoint document for partition " + partition + ": " + d.toJson(), e);
      }
    });
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      log.debug("Closed MongoDB tree store (database prefix \"{}\")", prefix);
    }
  }

  @Override
  public String toString() {
    return "MongoTreeStore[prefix=" + prefix + "]";
  }

  private static NodeRecord record(MongoCollection<Document> nodes, Path path) {
    Document d = nodes.find(eq(NodeDocuments.ID, NodeDocuments.id(path))).first();
    return d == null ? null : NodeDocuments.toRecord(d);
  }

  /** The namespace's node collection (validating the name); does not create anything in MongoDB. */
  private MongoCollection<Document> nodes(String namespace) {
    ensureOpen();
    MongoCollection<Document> c = collections.get(namespace);
    if (c == null) {
      Namespaces.validate(namespace);
      // Rules namespaces would overflow database names: they share one database, a collection per owner.
      c = collections.computeIfAbsent(namespace, ns -> RulesNamespace.isRules(ns)
          ? client.getDatabase(prefix + RULES_DATABASE).withReadPreference(ReadPreference.primary())
              .getCollection(RulesNamespace.owner(ns))
          : client.getDatabase(prefix + ns).withReadPreference(ReadPreference.primary()).getCollection(NODES));
    }
    return c;
  }

  /** Like {@link #nodes}, creating the parent-path index the first time this store writes to the namespace. */
  private MongoCollection<Document> writableNodes(String namespace) {
    MongoCollection<Document> c = nodes(namespace);
    if (!indexed.contains(namespace)) {
      c.createIndex(Indexes.ascending(NodeDocuments.PARENT));
      indexed.add(namespace);
      log.debug("Ensured the parent-path index of namespace {}", namespace);
    }
    return c;
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException(this + " is closed");
    }
  }

  /** Runs a driver call, turning driver failures into {@link StoreException}s that say what failed where. */
  private <T> T call(String operation, Object namespace, Path path, Supplier<T> action) {
    try {
      return action.get();
    } catch (MongoException e) {
      throw new StoreException(operation + " " + namespace + (path.isRoot() ? "" : " " + path) + " failed in "
          + this + ": " + e.getMessage(), e);
    }
  }
}
