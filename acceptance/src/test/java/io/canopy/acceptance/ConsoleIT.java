package io.canopy.acceptance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.canopy.acceptance.testing.BrowserTestRun;
import io.canopy.acceptance.testing.CanopyProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The data console ({@code GET /}) and the browser SDK ({@code /sdk/canopy.js}) in Chromium against
 * canopy-server.jar: runs {@code node --test} in {@code acceptance/console-e2e} (playwright-core driving the
 * system's {@code chromium}) with {@code CANOPY_URL} pointing at a server started here. The runner's output goes to
 * {@code target/console-e2e.log}, screenshots to {@code target/console-screenshots/}. With the environment variable
 * {@code CANOPY_DOCS_IMAGE=<file>} the console screenshot is also copied there (how {@code docs/images/console.png}
 * is made). Skipped, with a message, where Chromium or the npm packages are not installed.
 */
class ConsoleIT {
  private static final Path DIR = Path.of(System.getProperty("canopy.console.dir", "console-e2e"))
      .toAbsolutePath().normalize();
  private static final Path LOG = Path.of("target", "console-e2e.log");
  private static final Path SHOTS = Path.of("target", "console-screenshots");
  private static final long TIMEOUT_SECONDS = 120;
  private static CanopyProcess server;

  @BeforeAll
  static void startServer() {
    assumeTrue(Files.isDirectory(DIR.resolve("node_modules").resolve("playwright-core")),
        "No " + DIR.resolve("node_modules") + ": run `(cd acceptance/console-e2e && npm ci)` first"
            + " (mvn verify does unless -Dcanopy.skipNpm=true)");
    assumeTrue(Files.isExecutable(BrowserTestRun.chromium()), "No Chromium at " + BrowserTestRun.chromium()
        + ": install it (apt-get install -y chromium) or point $CHROMIUM at one; the console tests need a browser");
    server = CanopyProcess.start("console");
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  @Timeout(value = TIMEOUT_SECONDS + 30, unit = TimeUnit.SECONDS)
  void consoleAndBrowserSdkTestsPassInChromium() throws Exception {
    Files.createDirectories(SHOTS);
    BrowserTestRun run = BrowserTestRun.run(DIR, LOG, Map.of("CANOPY_URL", server.baseUrl(),
        "CANOPY_SCREENSHOT_DIR", SHOTS.toAbsolutePath().toString()), TIMEOUT_SECONDS);
    assertThat(run.finished()).as("node --test did not finish within %d s; output so far:\n%s", TIMEOUT_SECONDS,
        NodeSdkIT.failures(run.output())).isTrue();
    assertThat(run.exitCode()).as("node --test exit code (server log: %s, screenshots: %s)\n%s",
        server.log(), SHOTS.toAbsolutePath(), NodeSdkIT.failures(run.output())).isZero();
    assertThat(SHOTS.resolve("console.png")).isRegularFile();
  }
}
