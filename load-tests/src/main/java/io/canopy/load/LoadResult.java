package io.canopy.load;

import java.time.Duration;
import java.util.Map;

import org.HdrHistogram.Histogram;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Totals of a {@code rest-write} run over the measured window (warm-up excluded).
 *
 * @param writes           writes sent and finished in the window ({@code ok + errors})
 * @param ok               writes answered 2xx
 * @param errors           failures by HTTP status or exception class name, sorted by key
 * @param warmupWrites     writes finished during warm-up (not measured)
 * @param unsent           open loop: writes scheduled in the window but never sent (writers behind)
 * @param measured         length of the measured window
 * @param latencyMicros    latency of the 2xx writes in microseconds
 * @param serverStatsStart {@code GET /.metrics.json} before the run, or null
 * @param serverStatsEnd   {@code GET /.metrics.json} after the run, or null
 */
public record LoadResult(long writes, long ok, Map<String, Long> errors, long warmupWrites, long unsent,
                         Duration measured, Histogram latencyMicros,
                         JsonNode serverStatsStart, JsonNode serverStatsEnd) {

    public long errorCount() {
        return errors.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Successful writes per second over the measured window. */
    public double writesPerSecond() {
        double seconds = measured.toNanos() / 1e9;
        return seconds <= 0 ? 0 : ok / seconds;
    }

    public LatencyReport latency() {
        return new LatencyReport(latencyMicros);
    }
}
