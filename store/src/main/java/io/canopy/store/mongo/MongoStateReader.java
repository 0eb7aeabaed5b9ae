package io.canopy.store.mongo;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.in;
import static com.mongodb.client.model.Filters.nin;
import static com.mongodb.client.model.Projections.include;

import com.mongodb.client.MongoCollection;
import io.canopy.core.path.Path;
import io.canopy.store.support.NodeRecord;
import io.canopy.store.support.StateReader;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bson.Document;

/**
 * The planner's reads for one namespace, from the primary. Ancestor records are fetched with {@code $in} queries
 * of up to {@value #IN_CHUNK} ids; descendants are never probed (the range deletion rides along in the bulk write
 * at no extra round trip); a child probe is one query on the {@code p} index.
 */
final class MongoStateReader implements StateReader {
  static final int IN_CHUNK = 1000;

  private final MongoCollection<Document> nodes;

  MongoStateReader(MongoCollection<Document> nodes) {
    this.nodes = nodes;
  }

  @Override
  public Map<Path, NodeRecord> records(Collection<Path> paths) {
    Map<String, Path> byId = new HashMap<>();
    for (Path p : paths) {
      byId.put(NodeDocuments.id(p), p);
    }
    List<String> ids = new ArrayList<>(byId.keySet());
    Map<Path, NodeRecord> out = new HashMap<>();
    for (int from = 0; from < ids.size(); from += IN_CHUNK) {
      List<String> chunk = ids.subList(from, Math.min(ids.size(), from + IN_CHUNK));
      for (Document d : nodes.find(in(NodeDocuments.ID, chunk))) {
        out.put(byId.get(d.getString(NodeDocuments.ID)), NodeDocuments.toRecord(d));
      }
    }
    return out;
  }

  @Override
  public boolean hasDescendants(Path path) {
    return true;
  }

  @Override
  public boolean hasChildOtherThan(Path parent, Set<String> excludedKeys) {
    String parentId = NodeDocuments.id(parent);
    List<String> excludedIds = new ArrayList<>(excludedKeys.size());
    for (String key : excludedKeys) {
      excludedIds.add(NodeDocuments.childId(parentId, key));
    }
    return nodes.find(and(eq(NodeDocuments.PARENT, parentId), nin(NodeDocuments.ID, excludedIds)))
        .projection(include(NodeDocuments.ID))
        .limit(1)
        .first() != null;
  }
}
