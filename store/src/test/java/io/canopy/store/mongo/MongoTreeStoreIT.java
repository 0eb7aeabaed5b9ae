package io.canopy.store.mongo;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.canopy.store.TreeStore;
import io.canopy.store.testing.TreeStoreConformance;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Holds {@link MongoTreeStore} to the {@link TreeStoreConformance} contract against an in-process
 * mongo-java-server (memory backend, one per test): a functional stand-in for MongoDB, not a performance one.
 */
class MongoTreeStoreIT extends TreeStoreConformance {
  private MongoServer server;
  private MongoClient client;

  @BeforeEach
  void startServer() {
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
  void stopServer() {
    try {
      if (client != null) {
        client.close();
      }
    } finally {
      server.shutdownNow();
    }
  }

  @Override
  protected TreeStore openStore() {
    return new MongoTreeStore(client, "it_");
  }

  @Override
  protected TreeStore reopenStore() {
    return new MongoTreeStore(client, "it_");
  }
}
