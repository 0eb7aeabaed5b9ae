package io.canopy.server;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Makes SIGTERM and SIGINT a normal exit (status 0, shutdown hooks run) instead of the JVM's default status 143
 * or 130: a stop requested by the service manager or Ctrl-C is a clean stop, not a failure. Uses
 * {@code sun.misc.Signal} from {@code jdk.unsupported} (the JDK's supported home for it); if a platform refuses a
 * signal, the default handling stays, which still runs the shutdown hook.
 */
final class TerminationSignals {
  private static final Logger LOG = LoggerFactory.getLogger(TerminationSignals.class);

  private TerminationSignals() {}

  static void exitCleanlyOn(String... signals) {
    for (String name : signals) {
      try {
        Signal.handle(new Signal(name), signal -> {
          LOG.info("Received SIG{}", name);
          System.exit(0);
        });
      } catch (IllegalArgumentException e) {
        LOG.debug("Cannot handle SIG{}: {}", name, e.getMessage());
      }
    }
  }
}
