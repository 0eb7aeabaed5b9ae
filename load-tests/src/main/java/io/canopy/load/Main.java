package io.canopy.load;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Entry point of {@code canopy-load.jar}: {@code java -jar canopy-load.jar <scenario> [flags]}.
 * {@code bench} is the benchmark tool (see docs/benchmarks.md); {@code rest-write} and {@code ws-latency} drive a
 * server that is already running.
 */
public final class Main {

    /** A load scenario: takes its flags, prints its report, returns the process exit code. */
    @FunctionalInterface
    public interface Scenario {
        int run(String[] args, PrintStream out, PrintStream err);
    }

    private record Entry(String summary, Scenario scenario) {
    }

    private static final Map<String, Entry> SCENARIOS = new LinkedHashMap<>();

    static {
        SCENARIOS.put(io.canopy.load.bench.Bench.NAME, new Entry(
                "the benchmark: starts the server jar, runs scenarios a-e (and --peer), writes results.json + report.html",
                io.canopy.load.bench.Bench::run));
        SCENARIOS.put(RestWriteLoad.NAME, new Entry(
                "N concurrent REST writers (PUT /load/<k>.json); writes/s and latency percentiles",
                RestWriteLoad::run));
        SCENARIOS.put(WsLatencyLoad.NAME, new Entry(
                "one v5 writer at a fixed rate, N v5 subscribers; write -> other-subscriber latency",
                WsLatencyLoad::run));
    }

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0) {
            err.println(usage());
            return 2;
        }
        String name = args[0];
        if (name.equals("--help") || name.equals("-h") || name.equals("help")) {
            out.println(usage());
            return 0;
        }
        Entry entry = SCENARIOS.get(name);
        if (entry == null) {
            err.println("canopy-load: unknown scenario '" + name + "'\n\n" + usage());
            return 2;
        }
        return entry.scenario().run(Arrays.copyOfRange(args, 1, args.length), out, err);
    }

    static String usage() {
        StringBuilder sb = new StringBuilder("usage: java -jar canopy-load.jar <scenario> [flags]   (<scenario> --help for its flags)\n\nscenarios:\n");
        SCENARIOS.forEach((name, e) -> sb.append(String.format("  %-12s %s%n", name, e.summary())));
        return sb.toString().stripTrailing();
    }
}
