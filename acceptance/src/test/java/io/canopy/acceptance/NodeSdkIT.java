package io.canopy.acceptance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.canopy.acceptance.testing.CanopyProcess;
import io.canopy.acceptance.testing.NodeProject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The official JS SDK ({@code firebase} 12.19.0 in Node) against canopy-server.jar: runs {@code node --test} in
 * {@code acceptance/node} with {@code CANOPY_URL} pointing at a server started here. The runner's output goes to
 * {@code target/node-sdk.log}, the SDK's own debug log (every frame) to {@code target/node-wire/<file>.log}.
 * {@code .ci/run} installs {@code node_modules} (npm ci) before Maven; only a local run without it is skipped.
 */
class NodeSdkIT {
  private static final Path LOG = Path.of("target", "node-sdk.log");
  private static final Path WIRE = Path.of("target", "node-wire");
  private static final long TIMEOUT_SECONDS = 240;
  private static CanopyProcess server;

  @BeforeAll
  static void startServer() {
    assumeTrue(NodeProject.installed(), NodeProject.missingMessage());
    server = CanopyProcess.start("node-sdk");
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  @Timeout(value = TIMEOUT_SECONDS + 30, unit = TimeUnit.SECONDS)
  void officialJsSdkTestsPass() throws Exception {
    Files.createDirectories(WIRE);
    Files.deleteIfExists(LOG);
    List<String> command = List.of(NodeProject.node(), "--test", "--test-reporter=spec",
        "--test-concurrency=3", "--test-force-exit");
    ProcessBuilder pb = new ProcessBuilder(command)
        .directory(NodeProject.DIR.toFile())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(LOG.toFile()));
    Map<String, String> env = pb.environment();
    env.put("CANOPY_URL", server.baseUrl());
    env.put("CANOPY_WIRE_LOG_DIR", WIRE.toAbsolutePath().toString());
    env.put("NO_COLOR", "1");
    Process node = pb.start();
    boolean finished;
    try {
      finished = node.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } finally {
      if (node.isAlive()) {
        node.descendants().forEach(ProcessHandle::destroyForcibly);
        node.destroyForcibly();
        node.waitFor(10, TimeUnit.SECONDS);
      }
    }
    String output = read(LOG);
    assertThat(finished).as("node --test did not finish within %d s; output so far:\n%s", TIMEOUT_SECONDS,
        failures(output)).isTrue();
    assertThat(node.exitValue()).as("node --test exit code (server log: %s, SDK wire logs: %s)\n%s",
        server.log(), WIRE.toAbsolutePath(), failures(output)).isZero();
  }

  /** The spec reporter's "failing tests" section if there is one, else the tail of the output. */
  static String failures(String output) {
    int at = output.lastIndexOf("failing tests:");
    String part = at >= 0 ? output.substring(at) : output.substring(Math.max(0, output.length() - 12_000));
    return part.length() > 20_000 ? part.substring(0, 20_000) + "\n…(truncated; see target/node-sdk.log)" : part;
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no output: " + e + ")";
    }
  }
}
