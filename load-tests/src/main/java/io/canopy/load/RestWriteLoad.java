package io.canopy.load;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

import org.HdrHistogram.Histogram;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The {@code rest-write} scenario: N concurrent {@link RestWriter}s against a running Canopy
 * server, then a summary of writes, errors, writes/s and latency percentiles (warm-up excluded).
 *
 * <pre>java -jar load-tests/target/canopy-load.jar rest-write --url http://localhost:9000 --writers 16 --duration 30s</pre>
 *
 * <p>Exit codes: 0 all measured writes succeeded; 1 some writes failed (or none were made);
 * 2 bad command line or server not reachable.
 */
public final class RestWriteLoad {

    public static final String NAME = "rest-write";

    static final Duration READY_TIMEOUT = Duration.ofSeconds(10);
    static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);

    private static final ObjectMapper JSON = new ObjectMapper();

    private final LoadOptions options;
    private final PrintStream out;
    private final PrintStream err;
    private final HttpClient probe;

    public RestWriteLoad(LoadOptions options, PrintStream out, PrintStream err) {
        this.options = options;
        this.out = out;
        this.err = err;
        this.probe = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Parses {@code args}, runs the scenario, prints the report; returns the exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        LoadOptions options;
        try {
            options = LoadOptions.parse(args);
        } catch (LoadOptions.UsageException e) {
            err.println("canopy-load " + NAME + ": " + e.getMessage());
            return 2;
        }
        if (options.help()) {
            out.println(LoadOptions.USAGE);
            return 0;
        }
        RestWriteLoad load = new RestWriteLoad(options, out, err);
        LoadResult result;
        try {
            result = load.execute();
        } catch (ServerNotReadyException e) {
            err.println("canopy-load " + NAME + ": " + e.getMessage());
            return 2;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("canopy-load " + NAME + ": interrupted");
            return 1;
        }
        load.print(result);
        return result.errorCount() == 0 && result.ok() > 0 ? 0 : 1;
    }

    /** The server did not answer {@code GET /health} in time. */
    public static final class ServerNotReadyException extends Exception {
        ServerNotReadyException(String message) {
            super(message);
        }
    }

    /** Waits for the server, runs warm-up and measured phase, and collects the totals. */
    public LoadResult execute() throws ServerNotReadyException, InterruptedException {
        out.println(describe());
        awaitReady();
        JsonNode statsStart = fetchServerStats();
        if (statsStart != null) {
            out.println("server stats (start): " + compact(statsStart));
        }

        LongAdder progressOk = new LongAdder();
        LongAdder progressErrors = new LongAdder();
        RestWriter.Schedule schedule = RestWriter.Schedule.startingNow(options.warmup(), options.duration());
        List<RestWriter> writers = new ArrayList<>(options.writers());
        List<Thread> threads = new ArrayList<>(options.writers());
        CountDownLatch finished = new CountDownLatch(options.writers());
        for (int i = 0; i < options.writers(); i++) {
            RestWriter writer = new RestWriter(i, options, RestWriter.newClient(options), schedule,
                    progressOk, progressErrors);
            writers.add(writer);
            Thread t = new Thread(() -> {
                try {
                    writer.run();
                } finally {
                    finished.countDown();
                }
            }, "rest-writer-" + i);
            threads.add(t);
        }
        threads.forEach(Thread::start);

        try {
            long lastTick = schedule.startNanos();
            long lastCount = 0;
            while (!finished.await(PROGRESS_EVERY.toMillis(), TimeUnit.MILLISECONDS)) {
                long now = System.nanoTime();
                long okNow = progressOk.sum();
                double rate = (okNow - lastCount) * 1e9 / Math.max(1, now - lastTick);
                String phase = now - schedule.measureFromNanos() < 0 ? "warmup " : "measure";
                err.printf(Locale.ROOT, "[%6.1fs] %s ok=%d errors=%d  %.0f writes/s%n",
                        (now - schedule.startNanos()) / 1e9, phase, okNow, progressErrors.sum(), rate);
                lastTick = now;
                lastCount = okNow;
            }
        } catch (InterruptedException e) {
            threads.forEach(Thread::interrupt);
            throw e;
        }
        for (Thread t : threads) {
            t.join();
        }

        long writes = 0;
        long ok = 0;
        long warmupWrites = 0;
        long unsent = 0;
        Map<String, Long> errors = new TreeMap<>();
        Histogram latency = LatencyReport.newHistogram();
        for (RestWriter w : writers) {
            RestWriter.Result r = w.result();
            writes += r.writes();
            ok += r.ok();
            warmupWrites += r.warmupWrites();
            unsent += r.unsent();
            r.errors().forEach((k, v) -> errors.merge(k, v, Long::sum));
            latency.add(r.latencyMicros());
        }
        JsonNode statsEnd = fetchServerStats();
        return new LoadResult(writes, ok, errors, warmupWrites, unsent, options.duration(), latency,
                statsStart, statsEnd);
    }

    String describe() {
        return String.format(Locale.ROOT,
                "canopy-load %s: %s %s/load/%s.json?ns=%s  writers=%d  %s  warmup=%s duration=%s  value-bytes=%d",
                NAME, options.method(), options.url(), options.hot() ? "hot" : "<0.." + (options.paths() - 1) + ">",
                options.ns(), options.writers(),
                options.openLoop()
                        ? String.format(Locale.ROOT, "open loop at %s writes/s", trim(options.rate()))
                        : "closed loop",
                LoadOptions.format(options.warmup()), LoadOptions.format(options.duration()),
                options.valueBytes());
    }

    /** Prints the human-readable report and, with {@code --json}, a one-line JSON summary. */
    public void print(LoadResult r) {
        String errorText = r.errors().isEmpty() ? "none"
                : r.errors().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                        .collect(Collectors.joining(", "));
        out.printf(Locale.ROOT, "writes:      %d (ok %d, errors %d) in %s after %d warm-up writes%n",
                r.writes(), r.ok(), r.errorCount(), LoadOptions.format(r.measured()), r.warmupWrites());
        out.println("errors:      " + errorText);
        if (options.openLoop()) {
            out.printf(Locale.ROOT, "unsent:      %d scheduled writes not sent by the end (writers behind target rate)%n",
                    r.unsent());
        }
        out.printf(Locale.ROOT, "throughput:  %.1f writes/s%s%n", r.writesPerSecond(),
                options.openLoop() ? " (target " + trim(options.rate()) + ")" : "");
        out.println("latency:     " + r.latency().format()
                + (options.openLoop() ? "  [from intended send time]" : ""));
        if (r.serverStatsEnd() != null) {
            out.println("server stats (end): " + compact(r.serverStatsEnd()));
        }
        if (options.json()) {
            out.println(compact(toJson(r)));
        }
    }

    /** The machine-readable summary printed by {@code --json}. */
    public ObjectNode toJson(LoadResult r) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("scenario", NAME);
        root.put("url", options.url().toString());
        root.put("ns", options.ns());
        root.put("method", options.method());
        root.put("writers", options.writers());
        root.put("paths", options.hot() ? 1 : options.paths());
        root.put("hot", options.hot());
        root.put("mode", options.openLoop() ? "open" : "closed");
        root.put("targetRate", options.rate());
        root.put("valueBytes", options.valueBytes());
        root.put("warmupMs", options.warmup().toMillis());
        root.put("durationMs", r.measured().toMillis());
        root.put("writes", r.writes());
        root.put("ok", r.ok());
        root.put("errorCount", r.errorCount());
        ObjectNode errors = root.putObject("errors");
        r.errors().forEach(errors::put);
        root.put("warmupWrites", r.warmupWrites());
        root.put("unsent", r.unsent());
        root.put("writesPerSec", Math.round(r.writesPerSecond() * 10) / 10.0);
        ObjectNode latency = root.putObject("latencyMs");
        latency.put("count", r.latencyMicros().getTotalCount());
        r.latency().millis().forEach(latency::put);
        ObjectNode stats = root.putObject("serverStats");
        stats.set("start", r.serverStatsStart());
        stats.set("end", r.serverStatsEnd());
        return root;
    }

    /**
     * Polls {@code GET /health} until it answers 200 (or 404: a server without the endpoint is
     * taken as up), for at most {@link #READY_TIMEOUT}.
     */
    void awaitReady() throws ServerNotReadyException, InterruptedException {
        URI health = URI.create(options.url() + "/health");
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        String last;
        while (true) {
            try {
                HttpResponse<Void> r = probe.send(HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(5)).GET().build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
                if (r.statusCode() == 404) {
                    err.println("warning: " + health + " answered 404; assuming the server is up");
                    return;
                }
                last = "HTTP " + r.statusCode();
            } catch (IOException e) {
                last = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new ServerNotReadyException("server at " + options.url() + " not ready after "
                        + LoadOptions.format(READY_TIMEOUT) + " (GET /health: " + last + ")");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(250));
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
    }

    /**
     * {@code GET <url>/.metrics.json}: its JSON if it answers 200 with something other than
     * {@code null}, a text node if the body is not JSON; null on any other answer or failure.
     */
    JsonNode fetchServerStats() throws InterruptedException {
        URI uri = URI.create(options.url() + "/.metrics.json");
        HttpResponse<String> r;
        try {
            r = probe.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return null;
        }
        if (r.statusCode() != 200 || r.body().isBlank()) {
            return null;
        }
        try {
            JsonNode node = JSON.readTree(r.body());
            return node == null || node.isNull() || node.isMissingNode() ? null : node;
        } catch (JsonProcessingException e) {
            return JsonNodeFactory.instance.textNode(r.body().strip());
        }
    }

    private static String compact(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            return String.valueOf(node);
        }
    }

    private static String trim(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
