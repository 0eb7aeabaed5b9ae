package io.canopy.load.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class LatencyRecorderTest {
    static final long MS = 1_000_000L;
    static final long S = 1_000_000_000L;

    @Test
    void bucketsBySecondOfTheStartAndSummarises() {
        LatencyRecorder r = new LatencyRecorder(1000 * S);
        for (int i = 0; i < 100; i++) {
            r.record(1000 * S + i * MS, 1000 * S + i * MS + 2 * MS); // second 0: 2 ms each
        }
        r.record(1002 * S + 500 * MS, 1002 * S + 900 * MS); // second 2: 400 ms
        JsonNode j = r.toJson();
        assertThat(j.get("count").asLong()).isEqualTo(101);
        assertThat(j.get("p50").asDouble()).isBetween(1.99, 2.01);
        assertThat(j.get("max").asDouble()).isBetween(399.0, 401.0);
        assertThat(j.get("timeline")).hasSize(2); // the empty second 1 is left out
        assertThat(j.get("timeline").get(0).get(0).asInt()).isZero();
        assertThat(j.get("timeline").get(0).get(1).asInt()).isEqualTo(100);
        assertThat(j.get("timeline").get(1).get(0).asInt()).isEqualTo(2);
        assertThat(j.get("timeline").get(1).get(3).asDouble()).isBetween(399.0, 401.0);
    }

    @Test
    void theCurveRisesToTheMaximum() {
        LatencyRecorder r = new LatencyRecorder(0);
        for (int i = 1; i <= 10_000; i++) {
            r.record(0, i * 1000L); // 1 µs .. 10 ms
        }
        JsonNode curve = r.toJson().get("curve");
        assertThat(curve.size()).isGreaterThan(10);
        double lastP = -1;
        double lastV = -1;
        for (JsonNode p : curve) {
            assertThat(p.get(0).asDouble()).isGreaterThanOrEqualTo(lastP);
            assertThat(p.get(1).asDouble()).isGreaterThanOrEqualTo(lastV);
            lastP = p.get(0).asDouble();
            lastV = p.get(1).asDouble();
        }
        assertThat(lastP).isEqualTo(100.0);
        assertThat(lastV).isBetween(9.99, 10.01);
    }

    @Test
    void samplesStartingBeforeTheOriginGoToSecondZeroAndNegativeLatencyIsZero() {
        LatencyRecorder r = new LatencyRecorder(10 * S);
        r.record(9 * S, 9 * S - MS);
        assertThat(r.count()).isEqualTo(1);
        assertThat(r.percentileMs(100)).isZero();
        assertThat(r.toJson().get("timeline").get(0).get(0).asInt()).isZero();
    }
}
