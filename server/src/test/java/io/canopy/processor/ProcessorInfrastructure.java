package io.canopy.processor;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.canopy.server.embedded.EmbeddedKafka;
import io.canopy.store.TreeStore;
import io.canopy.store.mongo.MongoTreeStore;
import io.canopy.store.rocksdb.RocksDbTreeStore;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the processor integration tests run on: one embedded Kafka broker and one MongoDB stand-in (through the real
 * driver) per test class, and a fresh store of either kind per scenario.
 */
abstract class ProcessorInfrastructure {
  @TempDir static java.nio.file.Path tmp;
  static EmbeddedKafka kafka;
  static MongoServer mongoServer;
  static MongoClient mongoClient;

  @BeforeAll
  static void startInfrastructure() {
    kafka = EmbeddedKafka.start(tmp.resolve("kafka"), 0);
    mongoServer = new MongoServer(new MemoryBackend());
    InetSocketAddress address = mongoServer.bind();
    mongoClient = MongoClients.create("mongodb://" + address.getHostString() + ":" + address.getPort());
  }

  @AfterAll
  static void stopInfrastructure() {
    if (mongoClient != null) {
      mongoClient.close();
    }
    if (mongoServer != null) {
      mongoServer.shutdownNow();
    }
    if (kafka != null) {
      kafka.close();
    }
  }

  /** The stores under test: the embedded default and MongoDB (through the real driver, on mongo-java-server). */
  enum StoreKind {
    ROCKSDB,
    MONGODB;

    /** A new, empty store named {@code name}. */
    TreeStore open(String name) {
      return this == ROCKSDB ? RocksDbTreeStore.open(tmp.resolve(name))
          : new MongoTreeStore(mongoClient, name.replace('-', '_') + "_");
    }
  }
}
