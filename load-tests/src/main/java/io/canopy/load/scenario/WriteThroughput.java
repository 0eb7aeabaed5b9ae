package io.canopy.load.scenario;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.canopy.load.V5Client;
import io.canopy.load.bench.LatencyRecorder;
import io.canopy.load.bench.SystemUnderTest;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * (a) Acknowledged write throughput to one namespace: closed loop, {@code connections × window} v5 puts in flight,
 * spread over 1,000 distinct paths (so the op-tree cannot compose them away), 64-character values. Counts writes
 * sent in the measured window and acknowledged {@code ok}; latency from send to ack.
 */
public final class WriteThroughput implements Scenario {
    static final int PATHS = 1000;
    static final String PAD = "x".repeat(64);

    @Override
    public String id() {
        return "a";
    }

    @Override
    public String name() {
        return "write-throughput";
    }

    @Override
    public String description() {
        return "closed loop: 8 connections x 64 puts in flight to 1,000 distinct paths of one namespace; acked writes/s";
    }

    /**
     * Unmeasured closed-loop writes for {@code seconds}, run once after a server starts so the scenarios don't
     * measure JIT compilation and first-use costs (a cold server answers its first writes in hundreds of ms).
     */
    public static void warmUp(SystemUnderTest sut, ScenarioContext ctx, int seconds) throws Exception {
        List<V5Client> clients = Connections.open(ctx, sut.url(), 4, new V5Client.Handler() { });
        try {
            long now = System.nanoTime();
            long end = now + TimeUnit.SECONDS.toNanos(seconds);
            String prefix = "/bench/warmup/" + now;
            Pipeline pipeline = new Pipeline(clients, 32,
                n -> "{\"p\":\"" + prefix + "/" + (n % PATHS) + "\",\"d\":{\"n\":" + n + "}}", Long.MAX_VALUE);
            pipeline.run(end, end, new LatencyRecorder(now), 15);
            ctx.log("%s: warm-up, %,d writes in %d s (not measured)", sut.name(), pipeline.ok.get(), seconds);
        } finally {
            Connections.closeAll(clients);
        }
    }

    @Override
    public ObjectNode run(SystemUnderTest sut, ScenarioContext ctx) throws Exception {
        int connections = 8;
        int window = 64;
        int warmupS = ctx.pick(3, 5);
        int durationS = ctx.pick(5, 20);
        String prefix = "/bench/tp/" + System.nanoTime();
        List<V5Client> clients = Connections.open(ctx, sut.url(), connections, new V5Client.Handler() { });
        try {
            long start = System.nanoTime();
            long measureFrom = start + TimeUnit.SECONDS.toNanos(warmupS);
            long end = measureFrom + TimeUnit.SECONDS.toNanos(durationS);
            LatencyRecorder latency = new LatencyRecorder(measureFrom);
            Pipeline pipeline = new Pipeline(clients, window,
                n -> "{\"p\":\"" + prefix + "/" + (n % PATHS) + "\",\"d\":{\"n\":" + n + ",\"v\":\"" + PAD + "\"}}",
                Long.MAX_VALUE);
            pipeline.run(measureFrom, end, latency, 15);
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            out.put("connections", connections).put("inFlightPerConnection", window).put("paths", PATHS)
                .put("warmupSeconds", warmupS).put("seconds", durationS);
            out.put("ops", pipeline.measuredOk());
            out.put("writesPerSecond", Math.round(pipeline.measuredOk() / (double) durationS));
            out.put("errors", pipeline.errors.get());
            out.set("ackLatencyMs", latency.toJson());
            ctx.log("%s: %,d acked writes/s (errors %d), ack p50 %.1f ms p99 %.1f ms", sut.name(),
                out.get("writesPerSecond").asLong(), pipeline.errors.get(), latency.percentileMs(50),
                latency.percentileMs(99));
            return out;
        } finally {
            Connections.closeAll(clients);
        }
    }
}
