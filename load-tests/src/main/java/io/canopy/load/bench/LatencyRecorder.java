package io.canopy.load.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.canopy.load.LatencyReport;
import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * Latencies (recorded in microseconds) of one measured stream: the whole-run histogram for percentiles and the
 * percentile curve, plus one histogram per second of the run for the latency-over-time chart. Samples are bucketed
 * by the second of their <i>start</i> (the intended send time in open-loop scenarios), so a stall shows up at the
 * moment it hit the writes it delayed. Thread-safe.
 */
public final class LatencyRecorder {
    private final long originNanos;
    private final Histogram total = LatencyReport.newHistogram();
    private final List<Histogram> perSecond = new ArrayList<>();

    /** @param originNanos {@link System#nanoTime()} of second 0 of the timeline (the start of measurement) */
    public LatencyRecorder(long originNanos) {
        this.originNanos = originNanos;
    }

    /** Records one sample that started at {@code startNanos} and ended at {@code endNanos}. */
    public void record(long startNanos, long endNanos) {
        long micros = Math.max(0, (endNanos - startNanos) / 1000);
        int second = (int) Math.max(0, (startNanos - originNanos) / 1_000_000_000L);
        synchronized (this) {
            total.recordValue(micros);
            while (perSecond.size() <= second) {
                perSecond.add(LatencyReport.newHistogram());
            }
            perSecond.get(second).recordValue(micros);
        }
    }

    public synchronized long count() {
        return total.getTotalCount();
    }

    /** A copy of the whole-run histogram. */
    public synchronized Histogram histogram() {
        return total.copy();
    }

    /** Percentile in milliseconds (0 when empty). */
    public synchronized double percentileMs(double percentile) {
        return total.getTotalCount() == 0 ? 0 : total.getValueAtPercentile(percentile) / 1000.0;
    }

    /**
     * {@code {count, p50, p90, p99, p99.9, max, mean}} in ms, {@code timeline: [[second, n, p50, p99, max], ...]} and
     * {@code curve: [[percentile, ms], ...]} (HdrHistogram's percentile iteration, 5 ticks per half distance).
     */
    public synchronized ObjectNode toJson() {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("count", total.getTotalCount());
        new LatencyReport(total).millis().forEach(out::put);
        ArrayNode timeline = out.putArray("timeline");
        for (int s = 0; s < perSecond.size(); s++) {
            Histogram h = perSecond.get(s);
            if (h.getTotalCount() == 0) {
                continue;
            }
            timeline.addArray().add(s).add(h.getTotalCount()).add(ms(h.getValueAtPercentile(50)))
                .add(ms(h.getValueAtPercentile(99))).add(ms(h.getMaxValue()));
        }
        ArrayNode curve = out.putArray("curve");
        if (total.getTotalCount() > 0) {
            double last = -1;
            for (HistogramIterationValue v : total.percentiles(5)) {
                double p = v.getPercentileLevelIteratedTo();
                if (p > 99.9999 || p == last) {
                    break;
                }
                last = p;
                curve.addArray().add(Math.round(p * 10_000) / 10_000.0).add(ms(v.getValueIteratedTo()));
            }
            curve.addArray().add(100.0).add(ms(total.getMaxValue()));
        }
        return out;
    }

    private static double ms(long micros) {
        return micros / 1000.0;
    }
}
