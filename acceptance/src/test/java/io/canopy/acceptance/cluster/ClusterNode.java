package io.canopy.acceptance.cluster;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.canopy.acceptance.testing.Json;
import io.canopy.acceptance.testing.Rest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.LocalTime;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One process of the cluster: a Kafka broker, the MongoDB stand-in, Redis, a processor or a gateway. It is started
 * from a fixed command on a fixed port, so a restart after {@link #kill} comes back at the same address with the same
 * data directory. Ready means: the process printed its ready line since its last launch (Kafka, MongoDB, Redis), or
 * answers {@code GET /health} with 200 (Canopy roles). Output goes to {@code <name>.log}, appended over restarts with a
 * marker line per launch.
 */
public final class ClusterNode implements AutoCloseable {
  /** What a node is; decides how readiness is judged. */
  public enum Kind { KAFKA, MONGO, REDIS, PROCESSOR, GATEWAY }

  private static final Duration STARTUP = Duration.ofSeconds(120);
  private static final Duration EXIT = Duration.ofSeconds(30);
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final String name;
  private final Kind kind;
  private final int port;
  private final List<String> command;
  private final Path log;
  private final String readyLine;
  private final Rest rest;
  private Process process;
  private int launches;

  ClusterNode(String name, Kind kind, int port, List<String> command, Path log, String readyLine) {
    this.name = name;
    this.kind = kind;
    this.port = port;
    this.command = List.copyOf(command);
    this.log = log;
    this.readyLine = readyLine;
    this.rest = new Rest(baseUrl());
  }

  public String name() {
    return name;
  }

  public Kind kind() {
    return kind;
  }

  public int port() {
    return port;
  }

  /** {@code http://127.0.0.1:PORT} (meaningful for processors and gateways). */
  public String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  /** {@code ws://127.0.0.1:PORT/.ws?v=5&ns=NS}: a gateway's v5 endpoint. */
  public URI wsUri(String namespace) {
    return URI.create("ws://127.0.0.1:" + port + "/.ws?v=5&ns=" + namespace);
  }

  public Rest rest() {
    return rest;
  }

  public Path log() {
    return log;
  }

  public synchronized boolean isAlive() {
    return process != null && process.isAlive();
  }

  /** The operating-system process id of the current launch (for messages). */
  public synchronized long pid() {
    return process == null ? -1 : process.pid();
  }

  /** Starts the process without waiting for it to be ready. */
  synchronized void launch() {
    if (isAlive()) {
      throw new IllegalStateException(name + " is already running");
    }
    launches++;
    try {
      Files.createDirectories(log.getParent());
      Files.writeString(log, marker() + " " + String.join(" ", command) + "\n", StandardCharsets.UTF_8,
          StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      process = new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name, e);
    }
  }

  /** Waits until the node is ready; fails with the end of its log if it exits or is not ready in time. */
  void awaitReady() {
    Process p;
    synchronized (this) {
      p = process;
    }
    try {
      await(name + " ready").atMost(STARTUP).pollInterval(Duration.ofMillis(250))
          .ignoreExceptionsMatching(e -> e instanceof UncheckedIOException)
          .until(() -> {
            if (!p.isAlive()) {
              throw new IllegalStateException(name + " exited with " + p.exitValue());
            }
            return readyLine != null ? sinceLastLaunch().contains(readyLine) : rest.status("/health") == 200;
          });
    } catch (RuntimeException | AssertionError e) {
      throw new AssertionError(name + " (port " + port + ") did not become ready:\n" + logTail(), e);
    }
  }

  /** {@code kill -9} (SIGKILL) and wait until the process is gone. */
  public void kill() {
    Process p;
    synchronized (this) {
      p = process;
    }
    if (p == null || !p.isAlive()) {
      throw new IllegalStateException(name + " is not running");
    }
    appendNote("kill -9 " + p.pid());
    p.destroyForcibly();
    waitForExit(p);
  }

  /** {@code kill -STOP}: freezes every thread of the process (a stop-the-world pause, as far as peers can tell). */
  public void pause() {
    signal("STOP");
  }

  /** {@code kill -CONT}: resumes a paused process, which carries on where it stopped. */
  public void resume() {
    signal("CONT");
  }

  private void signal(String name) {
    long pid = pid();
    if (!isAlive()) {
      throw new IllegalStateException(name + " is not running");
    }
    appendNote("kill -" + name + " " + pid);
    try {
      Process kill = new ProcessBuilder("kill", "-" + name, String.valueOf(pid)).redirectErrorStream(true).start();
      String out = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
        throw new AssertionError("kill -" + name + " " + pid + " failed: " + out);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Starts the node again (same command, port and data directory) and waits until it is ready. */
  public void restart() {
    launch();
    awaitReady();
  }

  /** {@code GET /.metrics.json} of a processor or gateway. */
  public JsonNode metrics() {
    try {
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/.metrics.json"))
          .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new AssertionError(name + ": GET /.metrics.json -> " + r.statusCode() + " " + r.body());
      }
      return Json.parse(r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The last lines of the log, for failure messages. */
  public String logTail() {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return "---- end of " + log + " ----\n"
          + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log " + log + ": " + e + ")";
    }
  }

  /** Kills whatever still runs (SIGKILL: the test is over, a clean stop would only cost time). */
  @Override
  public void close() {
    Process p;
    synchronized (this) {
      p = process;
    }
    if (p != null && p.isAlive()) {
      p.destroyForcibly();
      waitForExit(p);
    }
  }

  private void waitForExit(Process p) {
    try {
      if (!p.waitFor(EXIT.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError(name + " (pid " + p.pid() + ") still runs " + EXIT + " after SIGKILL");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private String marker() {
    return "==== " + LocalTime.now() + " launch #" + launches + ":";
  }

  private void appendNote(String note) {
    try {
      Files.writeString(log, "==== " + LocalTime.now() + " " + note + "\n", StandardCharsets.UTF_8,
          StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException ignored) {
      // a diagnostic only
    }
  }

  /** The log written since the current launch's marker line. */
  private String sinceLastLaunch() {
    try {
      String text = Files.readString(log, StandardCharsets.UTF_8);
      int at = text.lastIndexOf(" launch #" + launches + ":");
      return at < 0 ? "" : text.substring(at);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public String toString() {
    return name + "(" + kind + ", port " + port + ", pid " + pid() + ")";
  }
}
