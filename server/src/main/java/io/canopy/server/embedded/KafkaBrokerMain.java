package io.canopy.server.embedded;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * {@link EmbeddedKafka} as a process of its own, for multi-process tests of the split roles on one machine:
 * {@code java -cp canopy-server.jar io.canopy.server.embedded.KafkaBrokerMain --port P --dir D}. Prints
 * {@value #READY} followed by the bootstrap address once the broker answers clients, then runs until killed (SIGTERM
 * stops the broker cleanly; {@code kill -9} is a broker crash). A restart on the same directory keeps the topics and
 * their records. Exit codes: 1 if the broker failed to start, 2 for a bad command line.
 *
 * <p>One KRaft node with replication 1: a test fixture, not a production broker.
 */
public final class KafkaBrokerMain {
  /** The line printed (to stdout) once the broker is ready, followed by a space and {@code localhost:PORT}. */
  public static final String READY = "KAFKA READY";

  private KafkaBrokerMain() {
  }

  public static void main(String[] args) throws InterruptedException {
    Integer port = null;
    Path dir = null;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if ((arg.equals("--port") || arg.equals("--dir")) && i + 1 < args.length) {
        String value = args[++i];
        if (arg.equals("--port")) {
          try {
            port = Integer.parseInt(value);
          } catch (NumberFormatException e) {
            usage("--port must be a number: " + value);
          }
        } else {
          dir = Path.of(value);
        }
      } else {
        usage("unexpected argument \"" + arg + "\"");
      }
    }
    if (port == null || dir == null) {
      usage("--port and --dir are required");
    }

    EmbeddedKafka kafka;
    try {
      kafka = EmbeddedKafka.start(dir, port);
    } catch (RuntimeException e) {
      System.err.println("kafka-broker: failed to start: " + e.getMessage());
      e.printStackTrace();
      System.exit(1);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      kafka.close();
      stopped.countDown();
    }, "kafka-broker-shutdown"));
    System.out.println(READY + " " + kafka.bootstrapServers());
    System.out.flush();
    stopped.await();
  }

  private static void usage(String problem) {
    System.err.println("kafka-broker: " + problem);
    System.err.println("Usage: java -cp canopy-server.jar " + KafkaBrokerMain.class.getName()
        + " --port <broker port> --dir <log directory>");
    System.exit(2);
  }
}
