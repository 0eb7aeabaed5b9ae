package io.canopy.store.mongo;

import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Projections.include;

import com.mongodb.MongoException;
import com.mongodb.ReadPreference;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.WriteModel;
import io.canopy.core.ops.Overwrite;
import io.canopy.core.path.KeyOrder;
import io.canopy.core.path.Path;
import io.canopy.core.rules.RulesNamespace;
import io.canopy.core.tree.LeafNode;
import io.canopy.core.tree.Node;
import io.canopy.store.Checkpoint;
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
 * {@code checkpoints}, {@code {_id: <partition>, writesOffset, changesOffset}}. (A namespace named {@code meta}
 * shares that database, in its own collection.) Security rules ({@link RulesNamespace}) live in database
 * {@code <prefix>_rules}, one collection per namespace, laid out like {@code nodes}.
 *
 * <p><b>Writes.</b> {@link #apply} plans every namespace first ({@link FlushPlanner}: one {@code $in} query for
 * the ancestors of the overwrites, plus one {@code p}-index query per ancestor whose overwritten children all
 * end up empty), then sends one ordered {@code bulkWrite} per namespace (range {@code deleteMany}s for replaced
 * subtrees, one upsert or insert per written node, ancestor upserts and deletes), then upserts the checkpoint.
 * MongoDB has no transaction here: a reader may see a flush half applied, and a crash may leave it so. That is
 * safe because the checkpoint is written last and every write is absolute: re-running the flush converges.
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

  private static final Logger log = LoggerFactory.getLogger(MongoTreeStore.class);
  private static final BulkWriteOptions ORDERED = new BulkWriteOptions().ordered(true);
  private static final ReplaceOptions UPSERT = new ReplaceOptions().upsert(true);

  private final MongoClient client;
  private final String prefix;
  private final MongoCollection<Document> checkpoints;
  private final Map<String, MongoCollection<Document>> collections = new ConcurrentHashMap<>();
  private final Set<String> indexed = ConcurrentHashMap.newKeySet();
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
    int models = 0;
    for (Map.Entry<String, List<WriteModel<Document>>> e : bulks.entrySet()) {
      if (!e.getValue().isEmpty()) {
        call("bulk write", e.getKey(), Path.ROOT, () -> nodes(e.getKey()).bulkWrite(e.getValue(), ORDERED));
        models += e.getValue().size();
      }
    }
    Checkpoint cp = batch.checkpoint();
    call("write checkpoint of partition", batch.partition(), Path.ROOT, () -> checkpoints.replaceOne(
        eq(NodeDocuments.ID, batch.partition()),
        new Document(NodeDocuments.ID, batch.partition())
            .append(WRITES_OFFSET, cp.writesOffset())
            .append(CHANGES_OFFSET, cp.changesOffset()),
        UPSERT));
    if (log.isDebugEnabled()) {
      log.debug("Applied partition {} flush: {} namespaces, {} overwrites, {} write models, checkpoint {} in {} ms",
          batch.partition(), bulks.size(), batch.overwriteCount(), models, cp,
          (System.nanoTime() - started) / 1_000_000);
    }
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
      Object w = d.get(WRITES_OFFSET);
      Object c = d.get(CHANGES_OFFSET);
      if (!(w instanceof Number writes) || !(c instanceof Number changes)) {
        throw new StoreException("corrupt checkpoint document for partition " + partition + ": " + d.toJson());
      }
      return new Checkpoint(writes.longValue(), changes.longValue());
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
