package io.canopy.server;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The entry point of {@code canopy-server.jar}. Exit codes: 0 after a clean stop (including on SIGTERM and
 * Ctrl-C), 1 if startup failed, 2 for a bad command line.
 */
public final class Main {
  private static final Logger LOG = LoggerFactory.getLogger(Main.class);
  /** A shutdown that takes longer than this is stuck; the process halts rather than hang on. */
  private static final long SHUTDOWN_DEADLINE_SECONDS = 25;

  private Main() {}

  public static void main(String[] argv) {
    List<String> args = Arrays.asList(argv);
    if (ServerConfig.isHelp(args)) {
      System.out.print(ServerConfig.usage());
      return;
    }
    ServerConfig config;
    try {
      config = ServerConfig.parse(args, System.getenv());
    } catch (UsageException e) {
      System.err.println("canopy: " + e.getMessage());
      System.err.println("Run with --help for the options.");
      System.exit(2);
      return;
    }

    CanopyServer server;
    try {
      server = CanopyServer.start(config);
    } catch (RuntimeException e) {
      LOG.error("Canopy failed to start: {}", e.getMessage(), e);
      System.exit(1);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(server), "canopy-shutdown"));
    TerminationSignals.exitCleanlyOn("TERM", "INT");
    try {
      server.awaitClosed();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Runs in the shutdown hook: a clean stop, bounded by a watchdog. */
  private static void stop(CanopyServer server) {
    CountDownLatch stopped = new CountDownLatch(1);
    Thread watchdog = new Thread(() -> {
      try {
        if (!stopped.await(SHUTDOWN_DEADLINE_SECONDS, TimeUnit.SECONDS)) {
          LOG.error("Canopy did not stop within {} s; halting", SHUTDOWN_DEADLINE_SECONDS);
          Runtime.getRuntime().halt(1);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "canopy-shutdown-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
    server.close();
    stopped.countDown();
  }
}
