package io.canopy.store.mongo;

import static com.mongodb.client.model.Filters.eq;

import com.mongodb.client.model.DeleteManyModel;
import com.mongodb.client.model.DeleteOneModel;
import com.mongodb.client.model.InsertOneModel;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.WriteModel;
import io.canopy.core.tree.Node;
import io.canopy.store.support.NodeRecord;
import io.canopy.store.support.StoreMutation;
import io.canopy.store.support.StoreMutation.DeleteNode;
import io.canopy.store.support.StoreMutation.PutObject;
import io.canopy.store.support.StoreMutation.ReplaceSubtree;
import java.util.ArrayList;
import java.util.List;
import org.bson.Document;

/**
 * The write models of one namespace's planned mutations, for one ordered {@code bulkWrite}. A replaced subtree
 * is a range {@code deleteMany} (the whole subtree when the new value is empty, else its descendants), an
 * upsert of its top node and inserts of the nodes below (safe, since the range was just emptied); ancestor
 * objects are upserts, emptied ancestors single deletes. Every model is absolute, so re-running the bulk write
 * after a partial failure converges.
 */
final class BulkWriteBuilder {
  private static final ReplaceOptions UPSERT = new ReplaceOptions().upsert(true);

  private BulkWriteBuilder() {}

  static List<WriteModel<Document>> models(List<StoreMutation> mutations) {
    List<WriteModel<Document>> models = new ArrayList<>();
    for (StoreMutation m : mutations) {
      String id = NodeDocuments.id(m.path());
      if (m instanceof ReplaceSubtree r) {
        addReplace(models, id, r);
      } else if (m instanceof PutObject p) {
        models.add(upsert(id, NodeRecord.object(p.priority())));
      } else if (m instanceof DeleteNode) {
        models.add(new DeleteOneModel<>(eq(NodeDocuments.ID, id)));
      } else {
        throw new IllegalStateException("unknown mutation " + m);
      }
    }
    return models;
  }

  private static void addReplace(List<WriteModel<Document>> models, String id, ReplaceSubtree r) {
    Node value = r.value();
    if (value.isEmpty()) {
      models.add(r.clearDescendants()
          ? new DeleteManyModel<>(NodeDocuments.subtree(id))
          : new DeleteOneModel<>(eq(NodeDocuments.ID, id)));
      return;
    }
    if (r.clearDescendants()) {
      models.add(new DeleteManyModel<>(NodeDocuments.descendants(id)));
    }
    boolean fresh = r.clearDescendants();
    models.add(upsert(id, NodeRecord.of(value)));
    value.forEachChild((key, child) -> NodeRecord.walk(child, NodeDocuments.childId(id, key),
        NodeDocuments::childId, (nodeId, record) -> models.add(fresh
            ? new InsertOneModel<>(NodeDocuments.toDocument(nodeId, record))
            : upsert(nodeId, record))));
  }

  private static ReplaceOneModel<Document> upsert(String id, NodeRecord record) {
    return new ReplaceOneModel<>(eq(NodeDocuments.ID, id), NodeDocuments.toDocument(id, record), UPSERT);
  }
}
