package io.canopy.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.canopy.server.testing.FreePorts;
import io.canopy.server.testing.JarProcess;
import io.canopy.server.testing.RestClient;
import io.canopy.server.testing.RestClient.Response;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Black box: the shaded {@code canopy-server.jar} (built in {@code package}, before this runs) as a separate
 * process. Every acknowledged write must survive a clean stop (SIGTERM, exit code 0) and a crash (SIGKILL).
 */
class AllInOneJarIT {
  private static final Path JAR = Path.of("target", "canopy-server.jar");
  private static final Path LOG = Path.of("target", "all-in-one-jar-it.log");
  private static final Duration STARTUP = Duration.ofSeconds(60);
  private static final Duration STOP = Duration.ofSeconds(30);

  @TempDir
  Path dataDir;

  private JarProcess start() {
    return JarProcess.start(JAR, FreePorts.next(), LOG, "--data-dir", dataDir.toString()).awaitHealthy(STARTUP);
  }

  @Test
  void acknowledgedWritesSurviveACleanStopAndAKill() throws Exception {
    assertThat(JAR).as("the shaded jar (mvn package)").exists();

    JarProcess first = start();
    try {
      assertJson(first.rest().put("/x.json?ns=demo", "{\"a\":1}"), "{\"a\":1}");
      Integer exit = first.terminate(STOP);
      assertThat(exit).as("exit code after SIGTERM; log:\n%s", first.logTail()).isEqualTo(0);
    } finally {
      first.close();
    }

    JarProcess second = start();
    try {
      assertJson(second.rest().get("/x.json?ns=demo"), "{\"a\":1}");
      // Acknowledged means durable: kill -9 right after the 200.
      assertJson(second.rest().put("/y.json?ns=demo", "{\"b\":2}"), "{\"b\":2}");
      second.kill();
    } finally {
      second.close();
    }

    JarProcess third = start();
    try {
      assertJson(third.rest().get("/y.json?ns=demo"), "{\"b\":2}");
      assertJson(third.rest().get("/x.json?ns=demo"), "{\"a\":1}");
      assertThat(third.terminate(STOP)).isEqualTo(0);
    } finally {
      third.close();
    }
  }

  private static void assertJson(Response r, String expected) {
    assertThat(r.status()).as("status, body %s", r.body()).isEqualTo(200);
    assertThat(r.json()).isEqualTo(RestClient.json(expected));
  }
}
