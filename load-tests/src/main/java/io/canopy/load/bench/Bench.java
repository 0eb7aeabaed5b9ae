package io.canopy.load.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.canopy.load.scenario.FanOut;
import io.canopy.load.scenario.HotPath;
import io.canopy.load.scenario.IdleConnections;
import io.canopy.load.scenario.Scenario;
import io.canopy.load.scenario.ScenarioContext;
import io.canopy.load.scenario.SubscriberLatency;
import io.canopy.load.scenario.WriteThroughput;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * {@code canopy-load bench}: starts the server jar, runs the selected scenarios against it (and, with
 * {@code --peer}, against firebase-server), measures CPU time per process around each scenario, judges the
 * targets and writes {@code results.json} + {@code report.html}.
 */
public final class Bench {
    public static final String NAME = "bench";
    static final Duration SERVER_READY = Duration.ofMinutes(3);
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Canopy durability during the run, stated in every report. */
    static final Map<String, String> DURABILITY = new LinkedHashMap<>();

    static {
        DURABILITY.put("ack", "a write is acknowledged after Kafka acknowledged its write record (acks=all, "
            + "idempotent producer), the processor emitted its change (acks=all) and the gateway consumed it");
        DURABILITY.put("kafka", "embedded broker, replication factor 1, fsync left to the OS page cache (a process "
            + "crash loses nothing acknowledged; a power loss may lose the last seconds)");
        DURABILITY.put("store", "RocksDB WriteBatch per flush with sync=true (fsync), off the acknowledgement path");
        DURABILITY.put("batching", "processor Nagle batching at its defaults (1000 ops / 20 ms) except the "
            + "'batching off' hot-path run (--batch-ops 1 --batch-delay-ms 0)");
        DURABILITY.put("peer", "firebase-server keeps everything in memory: no durability at all");
    }

    private final BenchOptions options;
    private final PrintStream out;
    private final ScenarioContext ctx;
    private final Map<String, Scenario> scenarios = new LinkedHashMap<>();

    public Bench(BenchOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
        this.ctx = new ScenarioContext(options.quick(), out);
        for (Scenario s : List.of(new WriteThroughput(), new SubscriberLatency(), new FanOut(), new HotPath(),
            new IdleConnections())) {
            scenarios.put(s.id(), s);
        }
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        BenchOptions options;
        try {
            options = BenchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("canopy-load bench: " + e.getMessage());
            return 2;
        }
        if (options.help()) {
            out.println(BenchOptions.USAGE);
            return 0;
        }
        try {
            ObjectNode results = new Bench(options, out).execute();
            return results.path("failures").asInt() == 0 ? 0 : 1;
        } catch (Exception e) {
            err.println("canopy-load bench: " + e.getMessage());
            return 1;
        }
    }

    /** Runs everything and writes the reports; returns the results document. */
    public ObjectNode execute() throws Exception {
        Files.createDirectories(options.outDir());
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("tool", "canopy-load bench");
        root.put("startedAt", Instant.now().toString());
        root.put("mode", options.quick() ? "quick" : "full");
        ObjectNode conditions = root.putObject("conditions");
        conditions.put("cores", Runtime.getRuntime().availableProcessors());
        conditions.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        conditions.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        conditions.put("openFilesLimit", ProcessStats.maxOpenFiles(ProcessHandle.current().pid()));
        conditions.put("loadGeneratorMaxHeapMb", Runtime.getRuntime().maxMemory() / 1048576);
        conditions.put("note", "server, its embedded Kafka broker, the peer and the load generator share this machine");
        ArrayNode load = conditions.putArray("loadAverage1m");
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "loadavg");
            t.setDaemon(true);
            return t;
        });
        long t0 = System.nanoTime();
        sampler.scheduleAtFixedRate(() -> {
            synchronized (load) {
                load.addArray().add((System.nanoTime() - t0) / 1_000_000_000L).add(ProcessStats.loadAverage());
            }
        }, 0, 5, TimeUnit.SECONDS);

        ObjectNode server = root.putObject("server");
        server.put("jar", options.serverJar().toString());
        server.set("jvmFlags", JSON.valueToTree(ServerProcess.JVM_FLAGS));
        server.set("flags", JSON.valueToTree(ServerProcess.UNLIMITED));
        server.set("durability", JSON.valueToTree(DURABILITY));
        server.put("warmUp", "after each start, " + warmUpSeconds() + " s of unmeasured closed-loop writes; each"
            + " scenario then has its own unmeasured warm-up phase, and starts once the server is idle");
        ObjectNode results = root.putObject("scenarios");
        for (String id : options.scenarios()) {
            Scenario s = scenarios.get(id);
            ObjectNode entry = results.putObject(id);
            entry.put("name", s.name()).put("description", s.description());
        }
        int failures = 0;
        try {
            failures += runCanopy(results);
            if (options.peer()) {
                failures += runPeer(root, results);
            }
        } finally {
            sampler.shutdownNow();
        }
        synchronized (load) {
            double max = 0;
            double sum = 0;
            for (JsonNode p : load) {
                max = Math.max(max, p.get(1).asDouble());
                sum += p.get(1).asDouble();
            }
            conditions.put("loadAverageMean", load.size() == 0 ? -1 : Math.round(sum / load.size() * 100) / 100.0);
            conditions.put("loadAverageMax", max);
        }
        root.put("finishedAt", Instant.now().toString());
        root.put("failures", failures);
        root.set("targets", Verdicts.targets(results, options.quick()));
        root.set("ratios", Verdicts.ratios(results));
        Path json = options.outDir().resolve("results.json");
        Path html = options.outDir().resolve("report.html");
        Files.writeString(json, JSON.writeValueAsString(root));
        Files.writeString(html, HtmlReport.render(root));
        printSummary(root);
        out.println("results: " + json.toAbsolutePath());
        out.println("report:  " + html.toAbsolutePath());
        return root;
    }

    private int runCanopy(ObjectNode results) throws Exception {
        int failures = 0;
        List<String> order = List.of("a", "b", "c", "e", "d"); // d last: 15,000 sockets are the heaviest to tear down
        out.println("starting canopy: " + options.serverJar());
        try (ServerProcess server = ServerProcess.start(options.serverJar(), true,
            options.outDir().resolve("server.log"), SERVER_READY)) {
            out.println("  " + String.join(" ", server.command()));
            warmUp(server);
            for (String id : order) {
                if (!options.scenarios().contains(id)) {
                    continue;
                }
                ObjectNode r = measure(scenarios.get(id), server);
                failures += r.has("error") ? 1 : 0;
                if (id.equals("e")) {
                    ObjectNode e = ((ObjectNode) results.get("e")).putObject("canopy");
                    e.set("batchingOn", r);
                } else {
                    ((ObjectNode) results.get(id)).set("canopy", r);
                }
            }
        }
        if (options.scenarios().contains("e")) {
            out.println("starting canopy with batching off (--batch-ops 1 --batch-delay-ms 0)");
            ObjectNode e = (ObjectNode) results.get("e").get("canopy");
            try (ServerProcess server = ServerProcess.start(options.serverJar(), false,
                options.outDir().resolve("server-no-batching.log"), SERVER_READY)) {
                warmUp(server);
                ObjectNode off = measure(scenarios.get("e"), server);
                failures += off.has("error") ? 1 : 0;
                e.set("batchingOff", off);
            }
            JsonNode on = e.get("batchingOn");
            JsonNode off = e.get("batchingOff");
            if (!on.has("error") && !off.has("error")) {
                double offPerOp = off.path("storeWritesPerOp").asDouble();
                e.put("storeWritesPerOpOnOverOff", offPerOp == 0 ? 0
                    : Math.round(on.path("storeWritesPerOp").asDouble() / offPerOp * 10_000) / 10_000.0);
                e.put("throughputOnOverOff", Math.round(on.path("writesPerSecond").asDouble()
                    / Math.max(1, off.path("writesPerSecond").asDouble()) * 100) / 100.0);
            }
        }
        return failures;
    }

    private int runPeer(ObjectNode root, ObjectNode results) throws Exception {
        ObjectNode peerInfo = root.putObject("peer");
        peerInfo.put("name", PeerProcess.NAME);
        peerInfo.put("package", "npm firebase-server 1.1.0 (firebase pinned to 8.10.1 by an npm override)");
        peerInfo.put("dir", options.peerDir().toString());
        String why = PeerProcess.unavailableReason(options.peerDir());
        if (why != null) {
            peerInfo.put("skipped", why);
            out.println("peer skipped: " + why);
            return 0;
        }
        int failures = 0;
        out.println("starting peer: firebase-server (" + options.peerDir() + ")");
        try (PeerProcess peer = PeerProcess.start(options.peerDir(), options.outDir().resolve("peer.log"),
            Duration.ofMinutes(6))) {
            peerInfo.put("node", nodeVersion());
            warmUp(peer);
            for (String id : List.of("a", "b", "c", "d")) {
                if (!options.scenarios().contains(id)) {
                    continue;
                }
                ObjectNode r = measure(scenarios.get(id), peer);
                failures += r.has("error") ? 1 : 0;
                ((ObjectNode) results.get(id)).set("peer", r);
            }
        }
        if (options.scenarios().contains("e")) {
            ((ObjectNode) results.get("e")).put("peer", "n/a: firebase-server has no store (in memory)");
        }
        return failures;
    }

    /**
     * Waits until the server uses less than 0.2 cores over half a second (at most 60 s), so a backlog left by the
     * previous scenario (an overloaded peer keeps working through queued writes) is not charged to the next one.
     */
    private void awaitQuiet(SystemUnderTest sut) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        long waited = System.nanoTime();
        long cpu = ProcessStats.cpuNanos(sut.process());
        while (System.nanoTime() < deadline) {
            ServerProcess.sleepQuietly(500);
            long now = ProcessStats.cpuNanos(sut.process());
            if (now - cpu < TimeUnit.MILLISECONDS.toNanos(100)) {
                break;
            }
            cpu = now;
        }
        double s = (System.nanoTime() - waited) / 1e9;
        if (s > 1.5) {
            out.printf(Locale.ROOT, "  waited %.1f s for %s to go quiet%n", s, sut.name());
        }
    }

    private void warmUp(SystemUnderTest sut) throws Exception {
        WriteThroughput.warmUp(sut, ctx, warmUpSeconds());
    }

    int warmUpSeconds() {
        return options.quick() ? 5 : 15;
    }

    /** Runs one scenario with CPU time of the server and of this process measured around it. */
    private ObjectNode measure(Scenario s, SystemUnderTest sut) {
        out.printf(Locale.ROOT, "[%s] %s on %s%n", s.id(), s.name(), sut.name());
        awaitQuiet(sut);
        ProcessHandle self = ProcessHandle.current();
        long wall0 = System.nanoTime();
        long server0 = ProcessStats.cpuNanos(sut.process());
        long gen0 = ProcessStats.cpuNanos(self);
        double load0 = ProcessStats.loadAverage();
        ObjectNode r;
        try {
            r = s.run(sut, ctx);
        } catch (Exception | Error e) {
            out.println("  failed: " + e);
            r = JsonNodeFactory.instance.objectNode();
            r.put("error", String.valueOf(e));
        }
        double wall = (System.nanoTime() - wall0) / 1e9;
        double server = (ProcessStats.cpuNanos(sut.process()) - server0) / 1e9;
        double gen = (ProcessStats.cpuNanos(self) - gen0) / 1e9;
        ObjectNode cpu = r.putObject("cpu");
        cpu.put("wallSeconds", round(wall, 2));
        cpu.put("serverCpuSeconds", round(server, 2)).put("serverCores", round(server / wall, 2));
        cpu.put("loadGeneratorCpuSeconds", round(gen, 2)).put("loadGeneratorCores", round(gen / wall, 2));
        long ops = r.path("ops").asLong();
        if (ops > 0) {
            cpu.put("serverCpuMicrosPerOp", round(server * 1e6 / ops, 1));
            cpu.put("loadGeneratorCpuMicrosPerOp", round(gen * 1e6 / ops, 1));
        }
        r.put("loadAverageStart", load0).put("loadAverageEnd", ProcessStats.loadAverage());
        out.printf(Locale.ROOT, "  cpu: server %.1f s (%.2f cores), load generator %.1f s (%.2f cores) over %.1f s;"
            + " load average %.1f -> %.1f%n", server, server / wall, gen, gen / wall, wall, load0,
            r.get("loadAverageEnd").asDouble());
        return r;
    }

    private void printSummary(JsonNode root) {
        out.println();
        out.printf("targets (%s run, load average mean %.1f, max %.1f on %d cores):%n", root.path("mode").asText(),
            root.path("conditions").path("loadAverageMean").asDouble(),
            root.path("conditions").path("loadAverageMax").asDouble(), root.path("conditions").path("cores").asInt());
        for (JsonNode t : root.path("targets")) {
            out.printf("  (%s) %-10s %s%n      measured: %s%n", t.path("scenario").asText(),
                t.path("verdict").asText().toUpperCase(Locale.ROOT), t.path("target").asText(),
                t.path("measured").asText());
        }
        JsonNode e = root.path("scenarios").path("e").path("canopy");
        if (e.has("storeWritesPerOpOnOverOff")) {
            out.printf(Locale.ROOT, "  hot path batching on/off: store writes per op x%.4f, throughput x%.2f%n",
                e.path("storeWritesPerOpOnOverOff").asDouble(), e.path("throughputOnOverOff").asDouble());
        }
        if (root.path("ratios").size() > 0) {
            out.println("canopy / firebase-server:");
            for (JsonNode r : root.path("ratios")) {
                out.printf(Locale.ROOT, "  (%s) %-45s canopy %10.1f  peer %10.1f  ratio %s (%s is better)%n",
                    r.path("scenario").asText(), r.path("metric").asText(), r.path("canopy").asDouble(),
                    r.path("peer").asDouble(), r.path("ratio").asText("n/a"), r.path("better").asText());
            }
        }
    }

    private static String nodeVersion() {
        try {
            Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            String v = new String(p.getInputStream().readAllBytes()).trim();
            p.waitFor(10, TimeUnit.SECONDS);
            return v;
        } catch (Exception e) {
            return "unknown";
        }
    }

    private static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }
}
