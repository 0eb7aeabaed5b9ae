package io.canopy.load.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.canopy.load.V5Client;
import io.canopy.load.bench.LatencyRecorder;
import io.canopy.load.bench.SystemUnderTest;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * (e) The hot path: a burst of B puts (10,000; 2,000 with {@code --quick}) to one single path, as fast as
 * 4 connections × 64 in flight allow. Reads the processor's {@code writes} and {@code storeWrites} from
 * {@code /.metrics.json} before and after (waiting until the counters settle), so it shows how many store writes the
 * Nagle op-tree composed the burst into. The bench runs it on a server with batching on and on one with it off.
 */
public final class HotPath implements Scenario {
    public static final int BURST = 10_000;
    static final int CONNECTIONS = 4;
    static final int WINDOW = 64;

    private final Integer burst;

    public HotPath() {
        this(null);
    }

    /** @param burst writes in the burst, or null for the default (10,000, or 2,000 when quick) */
    public HotPath(Integer burst) {
        this.burst = burst;
    }

    @Override
    public String id() {
        return "e";
    }

    @Override
    public String name() {
        return "hot-path";
    }

    @Override
    public String description() {
        return "burst of 10,000 puts to one path (4 connections x 64 in flight); processor store writes per op, with"
            + " Nagle batching on and off";
    }

    @Override
    public ObjectNode run(SystemUnderTest sut, ScenarioContext ctx) throws Exception {
        int b = burst != null ? burst : ctx.pick(2000, BURST);
        JsonNode before = sut.metrics();
        if (before == null) {
            throw new IllegalStateException(sut.name() + " has no /.metrics.json: store writes can't be counted");
        }
        String path = "/bench/hot/" + System.nanoTime();
        List<V5Client> clients = Connections.open(ctx, sut.url(), CONNECTIONS, new V5Client.Handler() { });
        try {
            long start = System.nanoTime();
            LatencyRecorder latency = new LatencyRecorder(start);
            Pipeline pipeline = new Pipeline(clients, WINDOW,
                n -> "{\"p\":\"" + path + "\",\"d\":{\"n\":" + n + ",\"v\":\"" + WriteThroughput.PAD + "\"}}", b);
            pipeline.run(start, start + TimeUnit.MINUTES.toNanos(5), latency, 30);
            double seconds = (System.nanoTime() - start) / 1e9;
            JsonNode after = settledMetrics(sut, processor(before).path("writes").asLong() + pipeline.ok.get());
            long writes = processor(after).path("writes").asLong() - processor(before).path("writes").asLong();
            long storeWrites = processor(after).path("storeWrites").asLong()
                - processor(before).path("storeWrites").asLong();
            long flushes = processor(after).path("flushes").asLong() - processor(before).path("flushes").asLong();
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            out.put("burst", b).put("acked", pipeline.ok.get()).put("errors", pipeline.errors.get());
            out.put("ops", pipeline.ok.get()).put("seconds", Math.round(seconds * 1000) / 1000.0);
            out.put("writesPerSecond", Math.round(pipeline.ok.get() / seconds));
            out.put("processorWrites", writes).put("storeWrites", storeWrites).put("flushes", flushes);
            out.put("storeWritesPerOp", writes == 0 ? 0 : storeWrites / (double) writes);
            out.set("ackLatencyMs", latency.toJson());
            ctx.log("%s: burst of %,d to one path in %.2f s (%,d writes/s): %d store writes, %d flushes"
                    + " (%.4f store writes per op)", sut.name(), b, seconds, out.get("writesPerSecond").asLong(),
                storeWrites, flushes, out.get("storeWritesPerOp").asDouble());
            return out;
        } finally {
            Connections.closeAll(clients);
        }
    }

    private static JsonNode processor(JsonNode metrics) {
        return metrics.path("processor");
    }

    /**
     * Polls the metrics until the processor has counted {@code writes} and its store counters stopped moving for a
     * second (flushes run after the acks), at most 30 s.
     */
    static JsonNode settledMetrics(SystemUnderTest sut, long writes) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        JsonNode last = sut.metrics();
        long stableSince = System.nanoTime();
        while (System.nanoTime() < deadline) {
            Thread.sleep(200);
            JsonNode now = sut.metrics();
            if (now == null) {
                continue;
            }
            boolean same = last != null && processor(now).equals(processor(last));
            if (!same) {
                stableSince = System.nanoTime();
            }
            last = now;
            if (processor(now).path("writes").asLong() >= writes && same
                && System.nanoTime() - stableSince >= TimeUnit.SECONDS.toNanos(1)) {
                return now;
            }
        }
        return last;
    }
}
