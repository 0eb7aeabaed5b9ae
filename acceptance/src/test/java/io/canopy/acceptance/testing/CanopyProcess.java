package io.canopy.acceptance.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code canopy-server.jar} as a separate process ({@code java -jar ... --port P --data-dir D}), the only way these
 * tests touch Canopy. One instance per test class: {@link #start} waits for {@code GET /health} 200, {@link #stop}
 * sends SIGTERM, {@link #restart} starts it again on the same port and data directory. Output is appended to
 * {@code target/canopy-<name>.log}. {@link #close} kills whatever still runs and deletes the data directory.
 */
public final class CanopyProcess implements AutoCloseable {
  /** The shaded jar built by the server module (system property set by the failsafe configuration). */
  public static final Path JAR = Path.of(System.getProperty("canopy.jar", "../server/target/canopy-server.jar"));
  private static final Duration STARTUP = Duration.ofSeconds(60);
  private static final Duration STOP = Duration.ofSeconds(40);

  private final String name;
  private final int port;
  private final Path dataDir;
  private final Path log;
  private final Rest rest;
  private Process process;

  private CanopyProcess(String name, int port, Path dataDir, Path log) {
    this.name = name;
    this.port = port;
    this.dataDir = dataDir;
    this.log = log;
    this.rest = new Rest(baseUrl());
  }

  /** Starts a server on a free port with a fresh data directory and waits until it is healthy. */
  public static CanopyProcess start(String name) {
    if (!Files.isRegularFile(JAR)) {
      throw new IllegalStateException("No server jar at " + JAR.toAbsolutePath()
          + ": build it first (mvn package, or mvn verify from the root)");
    }
    Path dataDir;
    try {
      Files.createDirectories(Path.of("target"));
      dataDir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "canopy-data-" + name + "-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    CanopyProcess server = new CanopyProcess(name, FreePorts.next(), dataDir,
        Path.of("target", "canopy-" + name + ".log").toAbsolutePath());
    try {
      server.launch();
    } catch (RuntimeException | Error e) {
      server.close();
      throw e;
    }
    return server;
  }

  public int port() {
    return port;
  }

  /** {@code http://127.0.0.1:PORT}. */
  public String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  /** The emulator-style database URL both SDKs accept: {@code http://127.0.0.1:PORT?ns=NAME}. */
  public String databaseUrl(String namespace) {
    return baseUrl() + "?ns=" + namespace;
  }

  public Rest rest() {
    return rest;
  }

  public Path log() {
    return log;
  }

  public boolean isAlive() {
    return process != null && process.isAlive();
  }

  /** SIGTERM and wait for the exit; returns the exit code (the server exits 0 on a clean stop). */
  public int stop() {
    Process p = process;
    if (p == null || !p.isAlive()) {
      return p == null ? -1 : p.exitValue();
    }
    p.destroy();
    try {
      if (!p.waitFor(STOP.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        p.waitFor(30, TimeUnit.SECONDS);
        throw new AssertionError("canopy-server did not stop within " + STOP + " of SIGTERM:\n" + logTail());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return p.exitValue();
  }

  /** Starts the server again on the same port and data directory (after {@link #stop}) and waits for health. */
  public void restart() {
    if (isAlive()) {
      throw new IllegalStateException("still running");
    }
    launch();
  }

  private void launch() {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx1g");
    command.add("-jar");
    command.add(JAR.toAbsolutePath().toString());
    command.add("--port");
    command.add(String.valueOf(port));
    command.add("--data-dir");
    command.add(dataDir.toString());
    try {
      Files.writeString(log, "\n==== " + String.join(" ", command) + "\n", StandardCharsets.UTF_8,
          StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      process = new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Process p = process;
    try {
      await("canopy-server " + name + " healthy").atMost(STARTUP).pollInterval(Duration.ofMillis(200))
          .ignoreExceptionsMatching(e -> e instanceof UncheckedIOException)
          .until(() -> {
            if (!p.isAlive()) {
              throw new IllegalStateException("canopy-server exited with " + p.exitValue());
            }
            return rest.status("/health") == 200;
          });
    } catch (RuntimeException | AssertionError e) {
      throw new AssertionError("canopy-server did not become healthy on port " + port + ":\n" + logTail(), e);
    }
  }

  /** The last lines of the server log, for failure messages. */
  public String logTail() {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  @Override
  public void close() {
    Process p = process;
    if (p != null && p.isAlive()) {
      p.destroyForcibly();
      try {
        p.waitFor(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    deleteRecursively(dataDir);
  }

  private static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> {
        try {
          Files.deleteIfExists(path);
        } catch (IOException ignored) {
          // best effort: target/ is cleaned by mvn clean anyway
        }
      });
    } catch (IOException ignored) {
      // best effort
    }
  }
}
