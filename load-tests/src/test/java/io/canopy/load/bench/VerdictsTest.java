package io.canopy.load.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class VerdictsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String s) throws Exception {
        return JSON.readTree(s.replace('\'', '"'));
    }

    private static final String SCENARIOS = """
        {'a': {'canopy': {'writesPerSecond': 12000, 'ackLatencyMs': {'p99': 20}, 'cpu': {'serverCpuMicrosPerOp': 50}},
               'peer':   {'writesPerSecond': 1200,  'ackLatencyMs': {'p99': 200}, 'cpu': {'serverCpuMicrosPerOp': 500}}},
         'b': {'canopy': {'runs': [{'rate': 1000, 'latencyMs': {'p50': 3, 'p99': 9}, 'expectedDeliveries': 100, 'missing': 0},
                                   {'rate': 5000, 'latencyMs': {'p50': 8, 'p99': 60}, 'expectedDeliveries': 100, 'missing': 0}]},
               'peer':   {'runs': [{'rate': 1000, 'latencyMs': {'p50': 30, 'p99': 90}}]}},
         'c': {'canopy': {'error': 'boom'}},
         'd': {'canopy': {'connections': 15000, 'heapPerConnectionKb': 9.5, 'rssPerConnectionKb': 20},
               'peer':   {'connections': 15000, 'rssPerConnectionKb': 40}},
         'e': {'canopy': {'batchingOn': {'burst': 10000, 'processorWrites': 10000, 'storeWrites': 50, 'storeWritesPerOp': 0.005}}}}
        """;

    @Test
    void judgesEachTargetOnCanopysNumbers() throws Exception {
        JsonNode t = Verdicts.targets(json(SCENARIOS), false);
        assertThat(t).hasSize(5);
        assertThat(t.get(0).get("verdict").asText()).isEqualTo("met");
        assertThat(t.get(1).get("verdict").asText()).isEqualTo("not met"); // p99 60 > 50 at 5,000/s
        assertThat(t.get(1).get("measured").asText()).contains("p50 8.0 ms", "p99 60.0 ms");
        assertThat(t.get(2).get("verdict").asText()).isEqualTo("not measured"); // the scenario failed
        assertThat(t.get(3).get("verdict").asText()).isEqualTo("met");
        assertThat(t.get(4).get("verdict").asText()).isEqualTo("met");
        assertThat(t.get(4).get("measured").asText()).startsWith("0.50%");
        assertThat(t.get(0).has("indicative")).isFalse();
    }

    @Test
    void countsBelowTheTargetFailItInAFullRunAndAreIndicativeInAQuickOne() throws Exception {
        String small = SCENARIOS.replace("'connections': 15000, 'heap", "'connections': 1000, 'heap");
        assertThat(Verdicts.targets(json(small), false).get(3).get("verdict").asText()).isEqualTo("not met");
        JsonNode quick = Verdicts.targets(json(small), true).get(3);
        assertThat(quick.get("verdict").asText()).isEqualTo("met");
        assertThat(quick.has("indicative")).isTrue();
    }

    @Test
    void missingDeliveriesFailTheLatencyTarget() throws Exception {
        String lossy = SCENARIOS.replace("'p50': 8, 'p99': 60}, 'expectedDeliveries': 100, 'missing': 0",
            "'p50': 8, 'p99': 40}, 'expectedDeliveries': 100, 'missing': 2");
        assertThat(Verdicts.targets(json(lossy), false).get(1).get("verdict").asText()).isEqualTo("not met");
    }

    @Test
    void ratiosCoverWhatBothRan() throws Exception {
        JsonNode r = Verdicts.ratios(json(SCENARIOS));
        assertThat(r.findValuesAsText("metric")).containsExactly("acked writes/s", "ack latency p99 (ms)",
            "server CPU per acked write (us)", "push latency p50 (ms) at 1,000 writes/s",
            "push latency p99 (ms) at 1,000 writes/s", "RSS per idle connection (KB)");
        assertThat(r.get(0).get("ratio").asDouble()).isEqualTo(10.0);
        assertThat(r.get(0).get("better").asText()).isEqualTo("higher");
        assertThat(r.get(5).get("ratio").asDouble()).isEqualTo(0.5);
    }
}
