package io.canopy.acceptance;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.canopy.acceptance.convergence.ConvergenceRun;
import io.canopy.acceptance.testing.CanopyProcess;
import io.canopy.acceptance.testing.NodeProject;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Eight clients of three kinds, 3 firebase-admin apps, 3 official JS SDK apps (one Node child process) and 2 raw
 * v5 clients, issue random sets, multi-path updates, removes and transactions on overlapping paths of one
 * namespace for {@code -Dcanopy.convergence.seconds} (default 30). Afterwards, once quiet, every client's local
 * tree, a REST read and a fresh listener's initial data (the server's view) are identical; the transaction
 * counter equals the number of committed increments; and every client saw the writes to {@code /hot} (each
 * carrying a unique {@code seq}) in one order: a client may miss coalesced states, never reorder them.
 * {@code -Dcanopy.convergence.seed=N} replays a run's choice of ops.
 */
class ConvergenceIT {
  private static final Duration DURATION =
      Duration.ofSeconds(Long.getLong("canopy.convergence.seconds", 30));
  private static CanopyProcess server;

  @BeforeAll
  static void startServer() {
    assumeTrue(NodeProject.installed(), NodeProject.missingMessage());
    server = CanopyProcess.start("convergence");
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  @Timeout(value = 15, unit = TimeUnit.MINUTES)
  void eightClientsOfThreeKindsConvergeOnOneTreeAndOneOrder() throws Exception {
    long seed = Long.getLong("canopy.convergence.seed", System.nanoTime());
    try (ConvergenceRun run = ConvergenceRun.start(server, "convergence-" + (seed & 0xffff), seed, 3, 3, 2)) {
      run.issueRandomOpsFor(DURATION);
      JsonNode restView = run.awaitQuiescentAndIdentical(Duration.ofSeconds(60));
      run.assertAll(restView);
    }
  }
}
