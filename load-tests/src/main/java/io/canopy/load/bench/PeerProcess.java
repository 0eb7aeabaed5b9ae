package io.canopy.load.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * The side-by-side peer: npm {@code firebase-server} 1.1.0 (an in-memory Node implementation of the same v5
 * protocol) from the npm project in {@code load-tests/peer}, run as {@code node .../firebase-server.js -p PORT} so
 * the child process is node itself (its CPU time and memory are the peer's). Installs the project with
 * {@code npm ci} when its {@code node_modules} is missing. It has no metrics endpoint and no Java heap.
 */
public final class PeerProcess implements SystemUnderTest {
    public static final String NAME = "firebase-server";
    static final String SCRIPT = "node_modules/firebase-server/bin/firebase-server.js";

    private final Process process;
    private final String url;
    private final Thread hook;

    private PeerProcess(Process process, String url) {
        this.process = process;
        this.url = url;
        this.hook = new Thread(this::stop, "stop-peer");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Why the peer can't run here (no node, no npm project), or null when it can. */
    public static String unavailableReason(Path peerDir) {
        if (!onPath("node")) {
            return "node is not installed (the peer is npm firebase-server; install Node.js >= 18)";
        }
        if (!Files.isRegularFile(peerDir.resolve("package.json"))) {
            return "no peer npm project at " + peerDir.toAbsolutePath();
        }
        if (!Files.isRegularFile(peerDir.resolve(SCRIPT)) && !onPath("npm")) {
            return "the peer is not installed and npm is missing (run npm ci in " + peerDir + ")";
        }
        return null;
    }

    /** Installs the peer if needed ({@code npm ci}), starts it and waits for its port. */
    public static PeerProcess start(Path peerDir, Path log, Duration readyTimeout) throws IOException {
        Files.createDirectories(log.toAbsolutePath().getParent());
        if (!Files.isRegularFile(peerDir.resolve(SCRIPT))) {
            run(peerDir, log, List.of("npm", "ci", "--no-audit", "--no-fund"), Duration.ofMinutes(5));
        }
        int port = ServerProcess.freePort();
        Process p = new ProcessBuilder("node", SCRIPT, "-p", Integer.toString(port), "-a", "127.0.0.1")
            .directory(peerDir.toFile()).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        PeerProcess peer = new PeerProcess(p, "http://127.0.0.1:" + port);
        long deadline = System.nanoTime() + readyTimeout.toNanos();
        while (true) {
            if (!p.isAlive()) {
                peer.close();
                throw new IOException("firebase-server exited with " + p.exitValue() + "; see " + log);
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                return peer;
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    peer.close();
                    throw new IOException("firebase-server not listening after " + readyTimeout.toSeconds() + " s");
                }
                ServerProcess.sleepQuietly(100);
            }
        }
    }

    private static void run(Path dir, Path log, List<String> cmd, Duration timeout) throws IOException {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        try {
            if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", cmd) + " failed in " + dir + "; see " + log);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    static boolean onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String url() {
        return url;
    }

    @Override
    public ProcessHandle process() {
        return process.toHandle();
    }

    @Override
    public JsonNode metrics() {
        return null;
    }

    @Override
    public OptionalLong heapAfterGcBytes() {
        return OptionalLong.empty();
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
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
