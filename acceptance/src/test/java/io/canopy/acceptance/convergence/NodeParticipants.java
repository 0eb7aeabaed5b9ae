package io.canopy.acceptance.convergence;

import com.fasterxml.jackson.databind.JsonNode;
import io.canopy.acceptance.testing.CanopyProcess;
import io.canopy.acceptance.testing.Json;
import io.canopy.acceptance.testing.NodeProject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * N official JS SDK clients in one Node child process ({@code node/lib/convergence-client.mjs}), driven over
 * its stdin/stdout line protocol. Its stderr and the SDK's debug log go to files under {@code target/}.
 */
final class NodeParticipants implements AutoCloseable {
  private final Process process;
  private final Writer stdin;
  private final BlockingQueue<JsonNode> lines = new LinkedBlockingQueue<>();
  private final Path stderr;

  NodeParticipants(CanopyProcess server, String ns, int clients, String prefix, long seed, Path stderr, Path wireDir) {
    this.stderr = stderr;
    ProcessBuilder pb = new ProcessBuilder(NodeProject.node(), "lib/convergence-client.mjs", "--ns", ns,
        "--clients", String.valueOf(clients), "--prefix", prefix, "--seed", String.valueOf(seed & 0xffffffffL))
        .directory(NodeProject.DIR.toFile())
        .redirectError(ProcessBuilder.Redirect.appendTo(stderr.toFile()));
    pb.environment().put("CANOPY_URL", server.baseUrl());
    if (wireDir != null) {
      pb.environment().put("CANOPY_WIRE_LOG_DIR", wireDir.toAbsolutePath().toString());
    }
    try {
      process = pb.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    Thread reader = new Thread(() -> {
      try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
          StandardCharsets.UTF_8))) {
        for (String line; (line = out.readLine()) != null; ) {
          if (line.startsWith("{")) {
            lines.add(Json.parse(line));
          }
        }
      } catch (IOException | RuntimeException ignored) {
        // the process ended; expect() reports it
      }
    }, "node-convergence-stdout");
    reader.setDaemon(true);
    reader.start();
  }

  void send(String json) {
    try {
      stdin.write(json);
      stdin.write('\n');
      stdin.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("node convergence client is gone (see " + stderr + ")", e);
    }
  }

  /** The next stdout message of {@code type}, or an AssertionError after the timeout. */
  JsonNode expect(String type, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      JsonNode msg = lines.poll(Math.max(0, left), TimeUnit.NANOSECONDS);
      if (msg == null) {
        throw new AssertionError("node convergence client: no '" + type + "' within " + timeout
            + (process.isAlive() ? "" : " (exited with " + process.exitValue() + ")") + "; see " + stderr);
      }
      if (msg.path("type").asText().equals(type)) {
        return msg;
      }
    }
  }

  /** The participants as of a fresh report. */
  List<Participant> report() throws InterruptedException {
    send("{\"cmd\":\"report\"}");
    JsonNode report = expect("report", Duration.ofSeconds(30));
    List<Participant> out = new ArrayList<>();
    for (JsonNode c : report.path("clients")) {
      List<String> seqs = new ArrayList<>();
      c.path("hotSeqs").forEach(s -> seqs.add(s.asText()));
      List<String> errors = new ArrayList<>();
      c.path("errors").forEach(s -> errors.add(s.asText()));
      out.add(new Reported(c.path("id").asText(), Json.canonical(c.path("tree")), List.copyOf(seqs),
          c.path("committedCounter").asInt(), c.path("ops").asInt(), List.copyOf(errors)));
    }
    return out;
  }

  private record Reported(String id, JsonNode tree, List<String> hotSeqs, int committedCounter, int ops,
      List<String> errors) implements Participant {}

  @Override
  public void close() {
    if (!process.isAlive()) {
      return;
    }
    try {
      send("{\"cmd\":\"exit\"}");
    } catch (UncheckedIOException ignored) {
      // already gone
    }
    try {
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
