package io.canopy.load.scenario;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.canopy.load.bench.SystemUnderTest;

/**
 * (c) Fan-out: one writer at 500 writes/s to one path with 100 subscribers of it, i.e. 50,000 deliveries/s asked
 * for; measures deliveries/s achieved and their latency from the intended send time ({@link OpenLoopFanOut}).
 */
public final class FanOut implements Scenario {
    public static final int SUBSCRIBERS = 100;
    public static final int RATE = 500;

    @Override
    public String id() {
        return "c";
    }

    @Override
    public String name() {
        return "fan-out";
    }

    @Override
    public String description() {
        return "open loop: 1 writer at 500 writes/s to one path, 100 subscribers (50,000 deliveries/s asked for)";
    }

    @Override
    public ObjectNode run(SystemUnderTest sut, ScenarioContext ctx) throws Exception {
        return OpenLoopFanOut.run(sut, ctx, SUBSCRIBERS, RATE, ctx.pick(2, 5), ctx.pick(5, 20), 10);
    }
}
