package io.canopy.acceptance.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code node --test} of a browser test project (playwright-core driving Debian's Chromium), run to completion with
 * its output in a log file: what {@code BrowserSdkIT} and {@code ConsoleIT} share.
 *
 * @param finished false if it was killed at the time limit (with Chromium and its helpers)
 * @param exitCode the runner's exit code (meaningful when finished)
 * @param output everything it printed
 */
public record BrowserTestRun(boolean finished, int exitCode, String output) {

  /** Chromium from {@code $CHROMIUM}, else Debian's {@code /usr/bin/chromium}. */
  public static Path chromium() {
    String env = System.getenv("CHROMIUM");
    return Path.of(env != null && !env.isBlank() ? env : "/usr/bin/chromium");
  }

  /**
   * Runs the tests in {@code dir} with {@code env} (plus {@code CHROMIUM} and {@code NO_COLOR}), one file at a
   * time, writing the output to {@code log}.
   */
  public static BrowserTestRun run(Path dir, Path log, Map<String, String> env, long timeoutSeconds)
      throws IOException, InterruptedException {
    Files.deleteIfExists(log);
    ProcessBuilder pb = new ProcessBuilder(List.of(NodeProject.node(), "--test", "--test-reporter=spec",
        "--test-concurrency=1", "--test-force-exit"))
        .directory(dir.toFile())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.environment().putAll(env);
    pb.environment().put("CHROMIUM", chromium().toString());
    pb.environment().put("NO_COLOR", "1");
    Process node = pb.start();
    boolean finished;
    try {
      finished = node.waitFor(timeoutSeconds, TimeUnit.SECONDS);
    } finally {
      if (node.isAlive()) { // Chromium and its helpers are the runner's descendants
        node.descendants().forEach(ProcessHandle::destroyForcibly);
        node.destroyForcibly();
        node.waitFor(10, TimeUnit.SECONDS);
      }
    }
    String output;
    try {
      output = Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      output = "(no output: " + e + ")";
    }
    return new BrowserTestRun(finished, finished ? node.exitValue() : -1, output);
  }
}
