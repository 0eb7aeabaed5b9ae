package io.canopy.load.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The Canopy all-in-one jar as a child process: a fresh temporary data directory, the benchmark's JVM flags, the
 * connection and rate limits lifted (a benchmark must measure the server, not its limiter), and optionally Nagle
 * batching off. {@link #close()} stops it (SIGTERM, then SIGKILL after 20 s) and deletes the data directory; a
 * shutdown hook does the same if the load generator dies first.
 */
public final class ServerProcess implements SystemUnderTest {
    /** JVM flags of the server, stated in every report. */
    public static final List<String> JVM_FLAGS = List.of("-Xms2g", "-Xmx2g", "-XX:+UseG1GC");
    /** Flags that lift the per-connection, per-namespace and connection-count limits. */
    public static final List<String> UNLIMITED = List.of("--max-connections", "0", "--ws-messages-per-second", "0",
        "--ws-flood-frames-per-second", "0", "--namespace-writes-per-second", "0");
    /** Flags that turn the processor's Nagle batching off. */
    public static final List<String> NO_BATCHING = List.of("--batch-ops", "1", "--batch-delay-ms", "0");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern HEAP_USED = Pattern.compile("heap\\s+total\\s+\\d+K, used (\\d+)K");

    private final String name;
    private final Process process;
    private final Path dataDir;
    private final String url;
    private final List<String> command;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Thread hook;

    private ServerProcess(String name, Process process, Path dataDir, String url, List<String> command) {
        this.name = name;
        this.process = process;
        this.dataDir = dataDir;
        this.url = url;
        this.command = command;
        this.hook = new Thread(this::stop, "stop-" + name);
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /**
     * Starts the jar and waits (up to {@code readyTimeout}) for {@code GET /health} to answer 200.
     *
     * @param batching false adds {@link #NO_BATCHING}
     * @param log      file that receives the server's stdout and stderr
     */
    public static ServerProcess start(Path jar, boolean batching, Path log, Duration readyTimeout) throws IOException {
        if (!Files.isRegularFile(jar)) {
            throw new IOException("server jar not found: " + jar + " (build it: mvn -B -ntp -pl server -am package -DskipTests)");
        }
        int port = freePort();
        Path dataDir = Files.createTempDirectory("canopy-bench-");
        List<String> cmd = new ArrayList<>();
        cmd.add(javaBin("java"));
        cmd.addAll(JVM_FLAGS);
        cmd.addAll(List.of("-jar", jar.toString(), "--port", Integer.toString(port), "--data-dir", dataDir.toString()));
        cmd.addAll(UNLIMITED);
        if (!batching) {
            cmd.addAll(NO_BATCHING);
        }
        Files.createDirectories(log.toAbsolutePath().getParent());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        ServerProcess server = new ServerProcess(batching ? "canopy" : "canopy (batching off)", p, dataDir,
            "http://127.0.0.1:" + port, cmd);
        try {
            server.awaitHealthy(readyTimeout, log);
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    private void awaitHealthy(Duration timeout, Path log) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("server exited with " + process.exitValue() + " before it was ready; see " + log);
            }
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(url + "/health"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for the server", e);
            }
            sleepQuietly(200);
        }
        throw new IOException("server not healthy after " + timeout.toSeconds() + " s; see " + log);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String url() {
        return url;
    }

    @Override
    public ProcessHandle process() {
        return process.toHandle();
    }

    /** The command line that started it. */
    public List<String> command() {
        return command;
    }

    @Override
    public JsonNode metrics() {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + "/.metrics.json"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** {@code jcmd PID GC.run}, then the {@code used} figure of {@code jcmd PID GC.heap_info}. */
    @Override
    public OptionalLong heapAfterGcBytes() {
        try {
            jcmd("GC.run");
            Matcher m = HEAP_USED.matcher(jcmd("GC.heap_info"));
            return m.find() ? OptionalLong.of(Long.parseLong(m.group(1)) * 1024) : OptionalLong.empty();
        } catch (IOException e) {
            return OptionalLong.empty();
        }
    }

    private String jcmd(String command) throws IOException {
        Process p = new ProcessBuilder(javaBin("jcmd"), Long.toString(process.pid()), command)
            .redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("jcmd " + command + " failed: " + out);
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException("interrupted", e);
        }
    }

    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // already shutting down
        }
    }

    private void stop() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        deleteTree(dataDir);
    }

    /** A tool of the running JDK ({@code java}, {@code jcmd}), falling back to the PATH. */
    static String javaBin(String tool) {
        Path home = Path.of(System.getProperty("java.home"), "bin", tool);
        return Files.isExecutable(home) ? home.toString() : tool;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temp dir left behind is harmless
        }
    }
}
