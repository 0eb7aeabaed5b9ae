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
 * The official JS SDK ({@code firebase} 12.19.0) in headless Chromium against canopy-server.jar: runs
 * {@code node --test} in {@code acceptance/browser}, whose tests bundle a test page with esbuild, serve it from a
 * local HTTP server and drive it through playwright-core: writes, listens, queries, transactions and onDisconnect
 * over WebSocket, and the long-polling fallback ({@code /.lp}) after a failed WebSocket, with its switch back to
 * WebSocket and a WebSocket-less page. The runner's output goes to {@code target/browser-sdk.log}, each client's SDK
 * log to {@code target/browser-sdk/<client>.log}. Needs Debian's Chromium ({@code /usr/bin/chromium}, or
 * {@code $CHROMIUM}) and the project's {@code node_modules}: {@code .ci/run} installs both; a local run without
 * them is skipped with a message.
 */
class BrowserSdkIT {
  private static final Path DIR =
      Path.of(System.getProperty("canopy.browser.dir", "browser")).toAbsolutePath().normalize();
  private static final Path LOG = Path.of("target", "browser-sdk.log");
  private static final Path CLIENT_LOGS = Path.of("target", "browser-sdk");
  private static final long TIMEOUT_SECONDS = 180;
  private static CanopyProcess server;

  @BeforeAll
  static void startServer() {
    assumeTrue(Files.isDirectory(DIR.resolve("node_modules").resolve("playwright-core"))
            && Files.isDirectory(DIR.resolve("node_modules").resolve("firebase")),
        "No " + DIR.resolve("node_modules") + ": run `(cd acceptance/browser && npm ci)` first (.ci/run always does)");
    assumeTrue(Files.isExecutable(BrowserTestRun.chromium()), "No Chromium at " + BrowserTestRun.chromium()
        + ": `apt-get install -y chromium` (.ci/run does) or set CHROMIUM");
    server = CanopyProcess.start("browser-sdk");
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  @Timeout(value = TIMEOUT_SECONDS + 30, unit = TimeUnit.SECONDS)
  void officialJsSdkInChromiumTestsPass() throws Exception {
    Files.createDirectories(CLIENT_LOGS);
    BrowserTestRun run = BrowserTestRun.run(DIR, LOG, Map.of("CANOPY_URL", server.baseUrl(),
        "CANOPY_BROWSER_LOG_DIR", CLIENT_LOGS.toAbsolutePath().toString()), TIMEOUT_SECONDS);
    assertThat(run.finished()).as("node --test did not finish within %d s; output so far:\n%s", TIMEOUT_SECONDS,
        NodeSdkIT.failures(run.output())).isTrue();
    assertThat(run.exitCode()).as("node --test exit code (server log: %s, client logs: %s)\n%s",
        server.log(), CLIENT_LOGS.toAbsolutePath(), NodeSdkIT.failures(run.output())).isZero();
  }
}
