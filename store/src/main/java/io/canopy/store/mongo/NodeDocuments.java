package io.canopy.store.mongo;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.gt;
import static com.mongodb.client.model.Filters.gte;
import static com.mongodb.client.model.Filters.lt;
import static com.mongodb.client.model.Filters.or;

import io.canopy.core.path.Path;
import io.canopy.store.StoreException;
import io.canopy.store.support.NodeRecord;
import java.util.ArrayList;
import java.util.List;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * Node documents of the {@code nodes} collection: {@code {_id: "/a/b", p: "/a", v: <leaf value>, pr: <priority>}}.
 * The root is {@code _id: "/"} (no {@code p}); its children have {@code p: "/"}. Objects have no {@code v};
 * nodes without a priority have no {@code pr}. Values are BSON strings, booleans and doubles.
 *
 * <p>Ranges rely on {@code '0'} being the character after {@code '/'} and keys never containing {@code '/'}: the
 * descendants of {@code /a} are exactly the ids in {@code ["/a/", "/a0")}, which excludes siblings such as
 * {@code /a0}, {@code /a b} or {@code /ab}.
 */
final class NodeDocuments {
  static final String ID = "_id";
  static final String PARENT = "p";
  static final String VALUE = "v";
  static final String PRIORITY = "pr";
  static final String ROOT_ID = "/";

  private NodeDocuments() {}

  static String id(Path path) {
    return path.toString();
  }

  static String childId(String parentId, String key) {
    return ROOT_ID.equals(parentId) ? ROOT_ID + key : parentId + '/' + key;
  }

  /** The parent's id, or null for the root. */
  static String parentId(String id) {
    if (ROOT_ID.equals(id)) {
      return null;
    }
    int slash = id.lastIndexOf('/');
    return slash == 0 ? ROOT_ID : id.substring(0, slash);
  }

  /** The last key of a non-root id. */
  static String lastKey(String id) {
    return id.substring(id.lastIndexOf('/') + 1);
  }

  static Document toDocument(String id, NodeRecord record) {
    Document d = new Document(ID, id);
    String parent = parentId(id);
    if (parent != null) {
      d.append(PARENT, parent);
    }
    if (record.value() != null) {
      d.append(VALUE, record.value());
    }
    if (record.priority() != null) {
      d.append(PRIORITY, record.priority());
    }
    return d;
  }

  static NodeRecord toRecord(Document d) {
    Object value = d.get(VALUE);
    Object priority = d.get(PRIORITY);
    try {
      return new NodeRecord(normalize(value), normalize(priority));
    } catch (IllegalArgumentException e) {
      throw new StoreException("unreadable node document " + d.get(ID) + ": " + e.getMessage(), e);
    }
  }

  /** Numbers written by other tools (int32, int64, decimal) are read as doubles, like every Firebase number. */
  private static Object normalize(Object o) {
    if (o instanceof Number n && !(o instanceof Double)) {
      return n.doubleValue();
    }
    return o;
  }

  /** The node at {@code id} and its descendants: one range scan of the {@code _id} index. */
  static Bson subtree(String id) {
    if (ROOT_ID.equals(id)) {
      return and(gte(ID, ROOT_ID), lt(ID, "0"));
    }
    return or(eq(ID, id), descendants(id));
  }

  /** The descendants of the node at {@code id}. */
  static Bson descendants(String id) {
    if (ROOT_ID.equals(id)) {
      return and(gt(ID, ROOT_ID), lt(ID, "0"));
    }
    return and(gte(ID, id + '/'), lt(ID, id + '0'));
  }

  /** The keys of the node {@code id} below the node {@code baseId} (empty for the node itself). */
  static List<String> relativeKeys(String id, String baseId) {
    if (id.equals(baseId)) {
      return List.of();
    }
    int start = ROOT_ID.equals(baseId) ? 1 : baseId.length() + 1;
    if (!id.startsWith(baseId) || start > id.length()) {
      throw new StoreException("node document " + id + " is not below " + baseId);
    }
    List<String> keys = new ArrayList<>(4);
    while (start <= id.length()) {
      int slash = id.indexOf('/', start);
      int end = slash < 0 ? id.length() : slash;
      keys.add(id.substring(start, end));
      start = end + 1;
    }
    return keys;
  }
}
