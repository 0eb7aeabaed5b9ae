package io.canopy.load;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

import org.HdrHistogram.Histogram;

/**
 * One REST writer: a loop of synchronous {@code PUT|PATCH <url>/load/<k>.json?ns=<ns>} requests
 * on its own {@link HttpClient} (HTTP/1.1, i.e. one keep-alive connection per writer).
 *
 * <p>Closed loop ({@code rate == 0}): the next write is sent as soon as the previous one is
 * answered, and latency is measured from the actual send time.
 *
 * <p>Open loop ({@code rate > 0}): the writer owns {@code rate / writers} writes/s on a fixed
 * schedule (writers are phase-shifted so they do not fire in lock step). Latency is measured
 * from the <em>intended</em> send time, so a stalled server is charged for the writes that
 * queued up behind the stall (coordinated-omission correction). Writes still scheduled in the
 * measured window when it ends are counted as {@link Result#unsent()}.
 *
 * <p>Only writes whose (intended) send time falls in the measured window are recorded; only
 * 2xx answers go into the latency histogram. Not thread-safe: {@link #result()} may be read
 * once the thread running {@link #run()} has finished.
 */
public final class RestWriter implements Runnable {

    /**
     * Shared timeline, all in {@link System#nanoTime()} units.
     *
     * @param startNanos       start of the run (warm-up begins)
     * @param measureFromNanos start of the measured window (end of warm-up)
     * @param endNanos         end of the measured window; no write is started after it
     */
    public record Schedule(long startNanos, long measureFromNanos, long endNanos) {
        public static Schedule startingNow(Duration warmup, Duration duration) {
            long now = System.nanoTime();
            long measureFrom = now + warmup.toNanos();
            return new Schedule(now, measureFrom, measureFrom + duration.toNanos());
        }
    }

    /**
     * What one writer did in the measured window.
     *
     * @param writes        writes sent and finished (answered or failed) in the window
     * @param ok            writes answered 2xx
     * @param errors        failures by HTTP status (e.g. {@code "503"}) or exception class name
     * @param warmupWrites  writes finished during warm-up (not measured)
     * @param unsent        open loop only: writes scheduled in the window but never sent
     *                      because the writer was still behind when the window closed
     * @param latencyMicros latency of the 2xx writes, microseconds
     */
    public record Result(long writes, long ok, Map<String, Long> errors, long warmupWrites, long unsent,
                         Histogram latencyMicros) {
    }

    private final int id;
    private final LoadOptions options;
    private final HttpClient client;
    private final Schedule schedule;
    private final LongAdder progressOk;
    private final LongAdder progressErrors;
    private final String uriPrefix;
    private final String uriSuffix;
    private final String padding;

    private final Histogram histogram = LatencyReport.newHistogram();
    private final Map<String, Long> errors = new TreeMap<>();
    private long writes;
    private long ok;
    private long warmupWrites;
    private long unsent;

    /**
     * @param id             writer number, {@code 0 <= id < options.writers()}
     * @param progressOk     incremented for every 2xx answer (warm-up included), for live progress
     * @param progressErrors incremented for every failure (warm-up included)
     */
    public RestWriter(int id, LoadOptions options, HttpClient client, Schedule schedule,
                      LongAdder progressOk, LongAdder progressErrors) {
        this.id = id;
        this.options = options;
        this.client = client;
        this.schedule = schedule;
        this.progressOk = progressOk;
        this.progressErrors = progressErrors;
        this.uriPrefix = options.url() + "/load/";
        this.uriSuffix = ".json?ns=" + URLEncoder.encode(options.ns(), StandardCharsets.UTF_8);
        this.padding = "x".repeat(options.valueBytes());
    }

    /** A client suited to one writer: HTTP/1.1, connect timeout = request timeout. */
    public static HttpClient newClient(LoadOptions options) {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(options.timeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** The path written by this writer's {@code seq}-th write: {@code hot} or a number below {@code paths}. */
    String pathKey(long seq) {
        if (options.hot()) {
            return "hot";
        }
        return Long.toString(Math.floorMod(seq * options.writers() + id, (long) options.paths()));
    }

    /** The JSON value of this writer's {@code seq}-th write. */
    String body(long seq, long nanoTime) {
        StringBuilder sb = new StringBuilder(48 + padding.length());
        sb.append("{\"w\":").append(id).append(",\"n\":").append(seq).append(",\"t\":").append(nanoTime);
        if (!padding.isEmpty()) {
            sb.append(",\"pad\":\"").append(padding).append('"');
        }
        return sb.append('}').toString();
    }

    @Override
    public void run() {
        if (options.openLoop()) {
            runOpenLoop();
        } else {
            runClosedLoop();
        }
    }

    private void runClosedLoop() {
        for (long seq = 0; !Thread.currentThread().isInterrupted(); seq++) {
            long sendAt = System.nanoTime();
            if (sendAt - schedule.endNanos() >= 0) {
                return;
            }
            if (!write(seq, sendAt)) {
                return;
            }
        }
    }

    private void runOpenLoop() {
        // Per-writer interval; writer i is shifted by i/writers of an interval.
        double interval = options.writers() * 1e9 / options.rate();
        long offset = (long) (interval * id / options.writers());
        long origin = schedule.startNanos() + offset;
        for (long seq = 0; ; seq++) {
            long intended = origin + (long) (seq * interval);
            if (intended - schedule.endNanos() >= 0) {
                return;
            }
            long now;
            while ((now = System.nanoTime()) - intended < 0) {
                LockSupport.parkNanos(intended - now);
                if (Thread.currentThread().isInterrupted()) {
                    return;
                }
            }
            if (now - schedule.endNanos() >= 0 || Thread.currentThread().isInterrupted()) {
                unsent = countScheduledInWindow(origin, interval, seq);
                return;
            }
            if (!write(seq, intended)) {
                return;
            }
        }
    }

    /** Number of {@code k >= fromSeq} whose intended time lies in the measured window. */
    private long countScheduledInWindow(long origin, double interval, long fromSeq) {
        long count = 0;
        for (long k = fromSeq; ; k++) {
            long t = origin + (long) (k * interval);
            if (t - schedule.endNanos() >= 0) {
                return count;
            }
            if (t - schedule.measureFromNanos() >= 0) {
                count++;
            }
        }
    }

    /**
     * Sends one write and records it against {@code baseNanos} (actual or intended send time).
     *
     * @return false if the thread was interrupted
     */
    private boolean write(long seq, long baseNanos) {
        String body = body(seq, System.nanoTime());
        HttpRequest request = HttpRequest.newBuilder(URI.create(uriPrefix + pathKey(seq) + uriSuffix))
                .timeout(options.timeout())
                .header("Content-Type", "application/json")
                .method(options.method(), HttpRequest.BodyPublishers.ofString(body))
                .build();
        String failure = null;
        try {
            HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
            int status = response.statusCode();
            if (status < 200 || status > 299) {
                failure = Integer.toString(status);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            failure = e.getClass().getSimpleName();
        }
        long done = System.nanoTime();

        if (failure == null) {
            progressOk.increment();
        } else {
            progressErrors.increment();
        }
        if (baseNanos - schedule.measureFromNanos() < 0) {
            warmupWrites++;
            return true;
        }
        writes++;
        if (failure == null) {
            ok++;
            histogram.recordValue(Math.max(0, (done - baseNanos) / 1_000));
        } else {
            errors.merge(failure, 1L, Long::sum);
        }
        return true;
    }

    public Result result() {
        return new Result(writes, ok, Map.copyOf(errors), warmupWrites, unsent, histogram);
    }
}
