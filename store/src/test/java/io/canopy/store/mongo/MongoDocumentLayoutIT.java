package io.canopy.store.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Sorts;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.canopy.core.json.TreeJson;
import io.canopy.core.ops.Overwrite;
import io.canopy.core.path.Path;
import io.canopy.store.Checkpoint;
import io.canopy.store.FlushBatch;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The documents and databases {@link MongoTreeStore} writes: a format other tools and operators rely on. */
class MongoDocumentLayoutIT {
  private MongoServer server;
  private MongoClient client;

  @BeforeEach
  void start() {
    server = new MongoServer(new MemoryBackend());
    try {
      InetSocketAddress address = server.bind();
      client = MongoClients.create("mongodb://" + address.getHostString() + ":" + address.getPort());
    } catch (RuntimeException e) {
      server.shutdownNow();
      throw e;
    }
  }

  @AfterEach
  void stop() {
    try {
      if (client != null) {
        client.close();
      }
    } finally {
      server.shutdownNow();
    }
  }

  private static Overwrite ow(String path, String json) {
    return new Overwrite(Path.parse(path), TreeJson.parse(json.replace('\'', '"')));
  }

  private List<Document> documents(String database) {
    MongoCollection<Document> nodes = client.getDatabase(database).getCollection("nodes");
    return nodes.find().sort(Sorts.ascending("_id")).into(new ArrayList<>());
  }

  @Test
  void writesOneDocumentPerNodeWithParentValueAndPriority() {
    try (MongoTreeStore store = new MongoTreeStore(client)) {
      long epoch = store.claim(2);
      store.apply(new FlushBatch(2, Map.of("shop", List.of(
          ow("/", "{'.priority':1,'a':{'.priority':'pa','b':{'.value':'x','.priority':2},'n':3.5,'t':true}}"))),
          new Checkpoint(11, 22, epoch)));
    }
    assertThat(documents("canopy_shop")).containsExactly(
        Document.parse("{_id: '/', pr: 1.0}"),
        Document.parse("{_id: '/a', p: '/', pr: 'pa'}"),
        Document.parse("{_id: '/a/b', p: '/a', v: 'x', pr: 2.0}"),
        Document.parse("{_id: '/a/n', p: '/a', v: 3.5}"),
        Document.parse("{_id: '/a/t', p: '/a', v: true}"));
    Document checkpoint = client.getDatabase("canopy__meta").getCollection("checkpoints").find().first();
    assertThat(checkpoint).isEqualTo(new Document("_id", 2).append("owner", 1L).append("writesOffset", 11L)
        .append("changesOffset", 22L).append("epoch", 1L));
  }

  @Test
  void storesNumbersAsDoubles() {
    try (MongoTreeStore store = new MongoTreeStore(client)) {
      store.apply(new FlushBatch(0, Map.of("n", List.of(ow("/i", "7"))), new Checkpoint(1, 1)));
    }
    assertThat(documents("canopy_n").get(1).get("v")).isEqualTo(7.0);
  }

  @Test
  void readsNumbersOtherToolsStoredAsIntegers() {
    client.getDatabase("canopy_ext").getCollection("nodes").insertMany(List.of(
        Document.parse("{_id: '/', }"),
        new Document("_id", "/i").append("p", "/").append("v", 5).append("pr", 2L)));
    try (MongoTreeStore store = new MongoTreeStore(client)) {
      assertThat(store.read("ext", Path.ROOT)).isEqualTo(TreeJson.parse("{\"i\":{\".value\":5,\".priority\":2}}"));
    }
  }

  @Test
  void createsTheParentIndexOnFirstWrite() {
    try (MongoTreeStore store = new MongoTreeStore(client, "x-")) {
      store.apply(new FlushBatch(0, Map.of("idx", List.of(ow("/a", "1"))), new Checkpoint(1, 1)));
    }
    List<Document> indexes = client.getDatabase("x-idx").getCollection("nodes").listIndexes().into(new ArrayList<>());
    assertThat(indexes).anyMatch(i -> new Document("p", 1).equals(i.get("key", Document.class)));
  }

  @Test
  void usesTheDatabasePrefix() {
    try (MongoTreeStore store = new MongoTreeStore(client, "tenant_")) {
      store.apply(new FlushBatch(0, Map.of("one", List.of(ow("/a", "1"))), new Checkpoint(1, 1)));
    }
    assertThat(client.listDatabaseNames().into(new ArrayList<>())).contains("tenant_one", "tenant__meta");
  }

  @Test
  void validatesTheDatabasePrefix() {
    for (String bad : List.of("a.b", "a b", "a/", "x".repeat(MongoTreeStore.MAX_PREFIX_LENGTH + 1), "$")) {
      assertThatThrownBy(() -> new MongoTreeStore(client, bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
    }
    new MongoTreeStore(client, "").close();
    new MongoTreeStore(client, "x".repeat(MongoTreeStore.MAX_PREFIX_LENGTH)).close();
  }

  @Test
  void replaysAPartiallyAppliedFlushToTheSameState() {
    FlushBatch batch = new FlushBatch(0, Map.of("r", List.of(ow("/a/b", "null"), ow("/c", "{'d':{'e':1}}"),
        ow("/f/g", "2"))), new Checkpoint(5, 5));
    try (MongoTreeStore store = new MongoTreeStore(client)) {
      store.apply(new FlushBatch(0, Map.of("r", List.of(ow("/", "{'a':{'b':1},'c':'leaf','f':{'.value':1,'.priority':3}}"))),
          new Checkpoint(1, 1)));
      // A crash part-way: the new subtree at /c is written, /a/b and /f/g are not, and the ancestors are untouched.
      MongoCollection<Document> nodes = client.getDatabase("canopy_r").getCollection("nodes");
      nodes.deleteOne(new Document("_id", "/c"));
      nodes.insertMany(List.of(Document.parse("{_id: '/c', p: '/'}"), Document.parse("{_id: '/c/d', p: '/c'}"),
          Document.parse("{_id: '/c/d/e', p: '/c/d', v: 1.0}")));
      store.apply(batch);
      assertThat(store.read("r", Path.ROOT))
          .isEqualTo(TreeJson.parse("{\"c\":{\"d\":{\"e\":1}},\"f\":{\".priority\":3,\"g\":2}}"));
      assertThat(store.checkpoint(0)).isEqualTo(new Checkpoint(5, 5));
    }
  }
}
