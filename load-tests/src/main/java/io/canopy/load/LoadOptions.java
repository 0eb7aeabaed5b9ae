package io.canopy.load;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Command-line options of the {@code rest-write} scenario.
 *
 * <p>Flags may be given as {@code --flag value} or {@code --flag=value}; boolean flags
 * ({@code --hot}, {@code --json}) take no value. {@link #parse(String...)} throws a
 * {@link UsageException} with a one-line explanation for anything it does not understand.
 *
 * @param url        server base URL, without trailing slash (e.g. {@code http://localhost:9000})
 * @param ns         namespace passed as {@code ?ns=}
 * @param writers    number of concurrent writer threads
 * @param duration   length of the measured phase
 * @param warmup     length of the unmeasured warm-up phase before it
 * @param paths      number of distinct child paths {@code /load/<k>} the writers spread over
 * @param hot        all writers write the single path {@code /load/hot}
 * @param rate       target total writes/s; 0 = closed loop (as fast as possible)
 * @param valueBytes padding characters added to each written value
 * @param method     HTTP method for the writes: {@code PUT} (set) or {@code PATCH} (merge)
 * @param timeout    per-request timeout
 * @param json       also print a one-line JSON summary
 * @param help       {@code --help} was given; nothing else is meaningful
 */
public record LoadOptions(
        URI url,
        String ns,
        int writers,
        Duration duration,
        Duration warmup,
        int paths,
        boolean hot,
        double rate,
        int valueBytes,
        String method,
        Duration timeout,
        boolean json,
        boolean help) {

    public static final String USAGE = String.join("\n",
            "usage: canopy-load rest-write [flags]",
            "",
            "Drives N concurrent REST writers (PUT <url>/load/<k>.json?ns=<ns>) against a running",
            "Canopy server and prints writes/s and latency percentiles (after warm-up only).",
            "",
            "flags:",
            "  --url URL          server base URL                           (default http://localhost:9000)",
            "  --ns NAME          namespace, sent as ?ns=NAME               (default load)",
            "  --writers N        concurrent writers                        (default 16)",
            "  --duration D       measured phase, e.g. 30s, 500ms, 2m       (default 30s)",
            "  --warmup D         unmeasured warm-up before it (0s = none)  (default 5s)",
            "  --paths N          distinct paths /load/<i % N>              (default 1000)",
            "  --hot              all writers write the same path /load/hot",
            "  --rate R           target total writes/s; 0 = closed loop    (default 0)",
            "                     with R > 0 latency is measured from the intended send time",
            "                     (coordinated-omission corrected)",
            "  --value-bytes N    padding characters in each value          (default 64)",
            "  --method M         PUT (set) or PATCH (merge)                (default PUT)",
            "  --timeout D        per-request timeout                       (default 10s)",
            "  --json             also print a one-line machine-readable JSON summary",
            "  --help, -h         show this help",
            "",
            "Before starting it waits up to 10s for GET <url>/health to answer 200, and it prints",
            "GET <url>/.metrics.json as \"server stats\" before and after the run when that answers 200.",
            "",
            "exit status: 0 all measured writes succeeded; 1 some writes failed (or none were made);",
            "             2 bad command line or server not reachable");

    /** Defaults for every flag. */
    public static LoadOptions defaults() {
        return new LoadOptions(URI.create("http://localhost:9000"), "load", 16,
                Duration.ofSeconds(30), Duration.ofSeconds(5), 1000, false, 0, 64, "PUT",
                Duration.ofSeconds(10), false, false);
    }

    public LoadOptions {
        if (url == null || ns == null || duration == null || warmup == null || method == null || timeout == null) {
            throw new NullPointerException("LoadOptions fields must not be null");
        }
    }

    /** True when {@code --rate} asks for an open-loop (fixed-rate) run. */
    public boolean openLoop() {
        return rate > 0;
    }

    /** Thrown for a command line that cannot be understood; the message is meant for the user. */
    public static final class UsageException extends IllegalArgumentException {
        public UsageException(String message) {
            super(message);
        }
    }

    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m)");
    private static final Set<String> BOOLEAN_FLAGS = Set.of("--hot", "--json", "--help", "-h");

    /** Parses command-line flags (without the subcommand name). */
    public static LoadOptions parse(String... args) {
        LoadOptions d = defaults();
        URI url = d.url;
        String ns = d.ns;
        int writers = d.writers;
        Duration duration = d.duration;
        Duration warmup = d.warmup;
        int paths = d.paths;
        boolean hot = d.hot;
        double rate = d.rate;
        int valueBytes = d.valueBytes;
        String method = d.method;
        Duration timeout = d.timeout;
        boolean json = d.json;
        boolean help = false;

        Set<String> seen = new HashSet<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String flag = arg;
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                flag = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            }
            if (!flag.startsWith("-")) {
                throw new UsageException("unexpected argument '" + arg + "' (flags start with --; see --help)");
            }
            if (BOOLEAN_FLAGS.contains(flag)) {
                if (value != null) {
                    throw new UsageException("flag " + flag + " takes no value (got '" + arg + "')");
                }
            } else if (isKnown(flag) && value == null) {
                if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
                    throw new UsageException("flag " + flag + " needs a value");
                }
                value = args[++i];
            }
            if (!seen.add(flag.equals("-h") ? "--help" : flag)) {
                throw new UsageException("flag " + flag + " given more than once");
            }
            switch (flag) {
                case "--url" -> url = parseUrl(value);
                case "--ns" -> ns = parseNs(value);
                case "--writers" -> writers = parseInt(flag, value, 1);
                case "--duration" -> duration = parseDuration(flag, value, false);
                case "--warmup" -> warmup = parseDuration(flag, value, true);
                case "--paths" -> paths = parseInt(flag, value, 1);
                case "--hot" -> hot = true;
                case "--rate" -> rate = parseRate(value);
                case "--value-bytes" -> valueBytes = parseInt(flag, value, 0);
                case "--method" -> method = parseMethod(value);
                case "--timeout" -> timeout = parseDuration(flag, value, false);
                case "--json" -> json = true;
                case "--help", "-h" -> help = true;
                default -> throw new UsageException("unknown flag " + flag + " (see --help)");
            }
        }
        return new LoadOptions(url, ns, writers, duration, warmup, paths, hot, rate, valueBytes,
                method, timeout, json, help);
    }

    private static boolean isKnown(String flag) {
        return switch (flag) {
            case "--url", "--ns", "--writers", "--duration", "--warmup", "--paths", "--rate",
                    "--value-bytes", "--method", "--timeout" -> true;
            default -> false;
        };
    }

    /**
     * Parses {@code <digits>ms}, {@code <digits>s} or {@code <digits>m}.
     *
     * @param allowZero whether {@code 0s} is acceptable
     */
    public static Duration parseDuration(String flag, String value, boolean allowZero) {
        Matcher m = DURATION.matcher(value.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new UsageException("flag " + flag + ": '" + value
                    + "' is not a duration; use a whole number with a unit, e.g. 30s, 500ms or 2m");
        }
        long n;
        try {
            n = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            throw new UsageException("flag " + flag + ": '" + value + "' is too large");
        }
        Duration d = switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            default -> Duration.ofMinutes(n);
        };
        if (d.isZero() && !allowZero) {
            throw new UsageException("flag " + flag + " must be greater than zero (got '" + value + "')");
        }
        return d;
    }

    private static int parseInt(String flag, String value, int min) {
        int n;
        try {
            n = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new UsageException("flag " + flag + ": '" + value + "' is not a whole number");
        }
        if (n < min) {
            throw new UsageException("flag " + flag + " must be at least " + min + " (got " + n + ")");
        }
        return n;
    }

    private static double parseRate(String value) {
        double r;
        try {
            r = Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            throw new UsageException("flag --rate: '" + value + "' is not a number of writes/s");
        }
        if (!(r >= 0) || Double.isInfinite(r)) {
            throw new UsageException("flag --rate must be 0 (closed loop) or a positive writes/s (got " + value + ")");
        }
        return r;
    }

    private static String parseMethod(String value) {
        String m = value.trim().toUpperCase(Locale.ROOT);
        if (!m.equals("PUT") && !m.equals("PATCH")) {
            throw new UsageException("flag --method must be PUT or PATCH (got '" + value + "')");
        }
        return m;
    }

    private static String parseNs(String value) {
        if (value.isBlank()) {
            throw new UsageException("flag --ns must not be empty");
        }
        return value;
    }

    private static URI parseUrl(String value) {
        String v = value.trim();
        while (v.endsWith("/")) {
            v = v.substring(0, v.length() - 1);
        }
        URI uri;
        try {
            uri = new URI(v);
        } catch (URISyntaxException e) {
            throw new UsageException("flag --url: '" + value + "' is not a URL (" + e.getReason() + ")");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw new UsageException("flag --url: '" + value + "' must look like http://HOST:PORT");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new UsageException("flag --url: '" + value + "' must not contain a query or fragment");
        }
        return uri;
    }

    /** Human-readable duration: {@code 500ms}, {@code 30s}, {@code 2m}, {@code 1m30s}. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms % 1000 != 0) {
            return ms + "ms";
        }
        long s = ms / 1000;
        if (s >= 60 && s % 60 == 0) {
            return (s / 60) + "m";
        }
        if (s > 60) {
            return (s / 60) + "m" + (s % 60) + "s";
        }
        return s + "s";
    }
}
