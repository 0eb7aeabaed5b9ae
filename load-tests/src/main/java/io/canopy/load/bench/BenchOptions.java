package io.canopy.load.bench;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Flags of {@code canopy-load bench}.
 *
 * @param scenarios scenario letters to run, in the bench's order
 * @param quick     short phases and small counts (development runs; numbers are indicative only)
 * @param peer      also run the supported scenarios against npm firebase-server
 * @param serverJar the Canopy all-in-one jar to start
 * @param peerDir   the npm project of the peer
 * @param outDir    where results.json, report.html and the server logs go
 * @param help      print usage and stop
 */
public record BenchOptions(Set<String> scenarios, boolean quick, boolean peer, Path serverJar, Path peerDir,
    Path outDir, boolean help) {

    public static final List<String> ALL = List.of("a", "b", "c", "d", "e");

    public static final String USAGE = String.join("\n",
        "usage: java -jar load-tests/target/canopy-load.jar bench [flags]",
        "",
        "Starts the Canopy server jar as a child process (fresh temp data dir), runs the scenarios over the v5",
        "WebSocket protocol, and writes <out>/results.json and <out>/report.html.",
        "",
        "scenarios:",
        "  a  write throughput to one namespace (closed loop, 8 connections x 64 in flight, 1,000 paths)",
        "  b  write -> subscriber latency, open loop at 200, 1,000 and 5,000 writes/s, 10 subscribers",
        "  c  fan-out: 500 writes/s to one path with 100 subscribers (50,000 deliveries/s)",
        "  d  15,000 idle connections with one listen each: server heap and RSS per connection",
        "  e  hot path: 10,000-write burst to one path, store writes per op with batching on and off",
        "",
        "flags:",
        "  --scenarios LIST   all, or letters separated by commas, e.g. a,b   (default all)",
        "  --quick            short runs (2-3 s warm-up, 5 s measured, 1,000 connections, 2,000-write burst)",
        "  --peer             also run a-d against npm firebase-server (load-tests/peer; needs node) and",
        "                     report Canopy/firebase-server ratios",
        "  --server-jar PATH  default: server/target/canopy-server.jar of this checkout",
        "  --peer-dir PATH    default: load-tests/peer of this checkout",
        "  --out DIR          default: load-tests/target/bench of this checkout",
        "  --help, -h         this text");

    /** Parses the flags after {@code bench}. */
    public static BenchOptions parse(String... args) {
        Path repo = repoRoot();
        Set<String> scenarios = new LinkedHashSet<>(ALL);
        boolean quick = false;
        boolean peer = false;
        boolean help = false;
        Path jar = repo.resolve("server/target/canopy-server.jar");
        Path peerDir = repo.resolve("load-tests/peer");
        Path out = repo.resolve("load-tests/target/bench");
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--quick" -> quick = true;
                case "--peer" -> peer = true;
                case "--help", "-h" -> help = true;
                case "--scenarios" -> scenarios = parseScenarios(value(args, ++i, a));
                case "--server-jar" -> jar = Path.of(value(args, ++i, a));
                case "--peer-dir" -> peerDir = Path.of(value(args, ++i, a));
                case "--out" -> out = Path.of(value(args, ++i, a));
                default -> throw new IllegalArgumentException("unknown flag " + a + " (see --help)");
            }
        }
        return new BenchOptions(scenarios, quick, peer, jar, peerDir, out, help);
    }

    static Set<String> parseScenarios(String value) {
        if (value.equals("all")) {
            return new LinkedHashSet<>(ALL);
        }
        Set<String> wanted = new LinkedHashSet<>();
        for (String s : value.split(",")) {
            String id = s.trim();
            if (!ALL.contains(id)) {
                throw new IllegalArgumentException("--scenarios: unknown scenario '" + id + "' (use a,b,c,d,e or all)");
            }
            wanted.add(id);
        }
        if (wanted.isEmpty()) {
            throw new IllegalArgumentException("--scenarios: none given");
        }
        List<String> ordered = new ArrayList<>(ALL);
        ordered.retainAll(wanted);
        return new LinkedHashSet<>(ordered);
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length || args[i].startsWith("--")) {
            throw new IllegalArgumentException("flag " + flag + " needs a value");
        }
        return args[i];
    }

    /**
     * The checkout this tool runs from: the jar is {@code <repo>/load-tests/target/canopy-load.jar} and the classes
     * in tests are {@code <repo>/load-tests/target/classes}, both three levels below; the working directory when
     * that does not look like a checkout.
     */
    static Path repoRoot() {
        try {
            Path code = Path.of(BenchOptions.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path root = code.toAbsolutePath().getParent().getParent().getParent();
            if (root != null && Files.isDirectory(root.resolve("load-tests"))) {
                return root;
            }
        } catch (URISyntaxException | RuntimeException e) {
            // fall through
        }
        Path cwd = Path.of("").toAbsolutePath();
        return Files.isDirectory(cwd.resolve("load-tests")) ? cwd : cwd.getParent() == null ? cwd : cwd.getParent();
    }
}
