package io.canopy.load;

import static org.assertj.core.api.Assertions.assertThat;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class LatencyReportTest {

    /** 1..1000 µs: exact at 3 significant digits (values below 2048 have unit resolution). */
    private static Histogram oneToAThousandMicros() {
        Histogram h = LatencyReport.newHistogram();
        for (int us = 1; us <= 1000; us++) {
            h.recordValue(us);
        }
        return h;
    }

    @Test
    void formatsPercentilesInMillis() {
        LatencyReport report = new LatencyReport(oneToAThousandMicros());
        assertThat(report.format()).isEqualTo("p50=0.500 p90=0.900 p99=0.990 p99.9=0.999 max=1.000 ms (n=1000)");
        assertThat(report.count()).isEqualTo(1000);
    }

    @Test
    void millisMap() {
        assertThat(new LatencyReport(oneToAThousandMicros()).millis())
                .containsExactly(
                        org.assertj.core.api.Assertions.entry("p50", 0.5),
                        org.assertj.core.api.Assertions.entry("p90", 0.9),
                        org.assertj.core.api.Assertions.entry("p99", 0.99),
                        org.assertj.core.api.Assertions.entry("p99.9", 0.999),
                        org.assertj.core.api.Assertions.entry("max", 1.0),
                        org.assertj.core.api.Assertions.entry("mean", 0.501));
    }

    @Test
    void tailIsReportedAtHistogramResolution() {
        Histogram h = LatencyReport.newHistogram();
        h.recordValueWithCount(2_000, 990); // 2 ms
        h.recordValueWithCount(40_000, 10); // 40 ms: bucket resolution there is 32 µs
        LatencyReport report = new LatencyReport(h);
        assertThat(report.format()).isEqualTo("p50=2.000 p90=2.000 p99=2.000 p99.9=40.031 max=40.031 ms (n=1000)");
    }

    @Test
    void autoResizesForLongLatencies() {
        Histogram h = LatencyReport.newHistogram();
        h.recordValue(120_000_000L); // two minutes
        assertThat(new LatencyReport(h).millis().get("max")).isBetween(120_000.0, 120_000.0 * 1.001);
    }

    @Test
    void emptyHistogram() {
        LatencyReport report = new LatencyReport(LatencyReport.newHistogram());
        assertThat(report.format()).isEqualTo("no samples");
        assertThat(report.millis()).containsEntry("p99", 0.0).containsEntry("max", 0.0);
    }
}
