package io.canopy.load.scenario;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.canopy.load.bench.SystemUnderTest;
import java.util.List;

/**
 * (b) Write → subscriber latency at fixed rates: one writer, 10 subscribers of the written path, open loop at
 * 200, 1,000 and 5,000 writes/s (the lower rates give the peer rates it can sustain). {@link OpenLoopFanOut}
 * says how latency is measured without coordinated omission.
 */
public final class SubscriberLatency implements Scenario {
    public static final List<Integer> RATES = List.of(200, 1000, 5000);
    public static final int SUBSCRIBERS = 10;

    @Override
    public String id() {
        return "b";
    }

    @Override
    public String name() {
        return "subscriber-latency";
    }

    @Override
    public String description() {
        return "open loop: 1 writer at 200, 1,000 and 5,000 writes/s to one path, 10 subscribers; latency from the"
            + " intended send time to each subscriber";
    }

    @Override
    public ObjectNode run(SystemUnderTest sut, ScenarioContext ctx) throws Exception {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        ArrayNode runs = out.putArray("runs");
        long ops = 0;
        int seconds = 0;
        for (int rate : RATES) {
            ObjectNode r = OpenLoopFanOut.run(sut, ctx, SUBSCRIBERS, rate, ctx.pick(2, 5), ctx.pick(5, 20), 10);
            runs.add(r);
            ops += r.get("ops").asLong();
            seconds += r.get("seconds").asInt();
        }
        out.put("ops", ops).put("seconds", seconds);
        return out;
    }
}
