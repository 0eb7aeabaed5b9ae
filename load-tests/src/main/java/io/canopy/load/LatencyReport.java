package io.canopy.load;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.HdrHistogram.Histogram;

/**
 * Summarises a latency {@link Histogram} whose values are recorded in <b>microseconds</b>
 * as percentiles in milliseconds.
 */
public final class LatencyReport {

    /** Significant value digits used for every latency histogram of the load tests. */
    public static final int SIGNIFICANT_DIGITS = 3;

    /** Labels and percentiles reported, in order. */
    private static final String[] LABELS = {"p50", "p90", "p99", "p99.9"};
    private static final double[] PERCENTILES = {50.0, 90.0, 99.0, 99.9};

    private final Histogram histogram;

    public LatencyReport(Histogram histogram) {
        this.histogram = histogram;
    }

    /** A fresh auto-resizing histogram for microsecond latencies, 3 significant digits. */
    public static Histogram newHistogram() {
        return new Histogram(SIGNIFICANT_DIGITS);
    }

    public long count() {
        return histogram.getTotalCount();
    }

    /**
     * Percentiles and max in milliseconds, keyed {@code p50, p90, p99, p99.9, max} (plus
     * {@code mean}, rounded to the microsecond); all zero for an empty histogram.
     */
    public Map<String, Double> millis() {
        Map<String, Double> out = new LinkedHashMap<>();
        boolean empty = histogram.getTotalCount() == 0;
        for (int i = 0; i < LABELS.length; i++) {
            out.put(LABELS[i], empty ? 0.0 : toMillis(histogram.getValueAtPercentile(PERCENTILES[i])));
        }
        out.put("max", empty ? 0.0 : toMillis(histogram.getMaxValue()));
        out.put("mean", empty ? 0.0 : Math.round(histogram.getMean()) / 1000.0); // µs precision
        return out;
    }

    /**
     * One line, e.g. {@code p50=0.500 p90=0.900 p99=0.990 p99.9=0.999 max=1.000 ms (n=1000)},
     * or {@code no samples}.
     */
    public String format() {
        if (histogram.getTotalCount() == 0) {
            return "no samples";
        }
        Map<String, Double> ms = millis();
        StringBuilder sb = new StringBuilder();
        for (String label : LABELS) {
            sb.append(label).append('=').append(fmt(ms.get(label))).append(' ');
        }
        sb.append("max=").append(fmt(ms.get("max"))).append(" ms (n=").append(histogram.getTotalCount()).append(')');
        return sb.toString();
    }

    @Override
    public String toString() {
        return format();
    }

    private static double toMillis(long micros) {
        return micros / 1000.0;
    }

    static String fmt(double millis) {
        return String.format(Locale.ROOT, "%.3f", millis);
    }
}
