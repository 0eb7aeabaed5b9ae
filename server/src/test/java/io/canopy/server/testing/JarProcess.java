package io.canopy.server.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code canopy-server.jar} as a child process on a fixed port, with its output appended to a log file. Close it
 * in a finally (it kills the process if it is still alive).
 */
public final class JarProcess implements AutoCloseable {
  private final Process process;
  private final Path log;
  private final RestClient rest;

  private JarProcess(Process process, Path log, int port) {
    this.process = process;
    this.log = log;
    this.rest = new RestClient("http://127.0.0.1:" + port);
  }

  /** Starts {@code java -jar <jar> --port <port> <args>}; does not wait for it to serve. */
  public static JarProcess start(Path jar, int port, Path log, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx1g");
    command.add("-jar");
    command.add(jar.toAbsolutePath().toString());
    command.add("--port");
    command.add(String.valueOf(port));
    command.addAll(List.of(args));
    try {
      Files.createDirectories(log.toAbsolutePath().getParent());
      Files.writeString(log, "\n==== " + String.join(" ", command) + "\n", StandardCharsets.UTF_8,
          java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
      Process p = new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
          .start();
      return new JarProcess(p, log, port);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits until {@code /health} answers 200; fails with the log's tail if it doesn't within the timeout. */
  public JarProcess awaitHealthy(Duration timeout) {
    try {
      await().atMost(timeout).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
          .until(() -> {
            if (!process.isAlive()) {
              throw new IllegalStateException("exited with " + process.exitValue());
            }
            return rest.get("/health").status() == 200;
          });
    } catch (RuntimeException | AssertionError e) {
      throw new AssertionError("canopy-server did not become healthy:\n" + logTail(), e);
    }
    return this;
  }

  public RestClient rest() {
    return rest;
  }

  /** SIGTERM, then the exit code, or null if it did not exit within the timeout. */
  public Integer terminate(Duration timeout) throws InterruptedException {
    process.destroy();
    return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : null;
  }

  /** SIGKILL: a crash, no shutdown hooks. Returns once the process is gone. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** The last lines of the log, for failure messages. */
  public String logTail() {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }
}
