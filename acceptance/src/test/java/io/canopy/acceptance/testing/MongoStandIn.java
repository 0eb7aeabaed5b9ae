package io.canopy.acceptance.testing;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import java.util.concurrent.CountDownLatch;

/**
 * The MongoDB stand-in ({@code mongo-java-server}, memory backend) as a process of its own, for the multi-process
 * cluster test: {@code java -cp <test classpath> io.canopy.acceptance.testing.MongoStandIn --port P}. Prints
 * {@value #READY} once it accepts connections and runs until killed. Its data lives in memory only: a killed
 * stand-in loses everything, so the cluster test never kills it.
 */
public final class MongoStandIn {
  /** The line printed (to stdout) once the server listens. */
  public static final String READY = "MONGO READY";

  private MongoStandIn() {}

  public static void main(String[] args) throws InterruptedException {
    if (args.length != 2 || !args[0].equals("--port")) {
      System.err.println("Usage: MongoStandIn --port <port>");
      System.exit(2);
      return;
    }
    MongoServer server = new MongoServer(new MemoryBackend());
    server.bind("127.0.0.1", Integer.parseInt(args[1]));
    CountDownLatch stopped = new CountDownLatch(1);
    // Its Netty threads are not daemons: stop them on SIGTERM, or the JVM would linger.
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.shutdownNow();
      stopped.countDown();
    }, "mongo-stand-in-shutdown"));
    System.out.println(READY + " 127.0.0.1:" + args[1]);
    System.out.flush();
    stopped.await();
  }
}
