package io.canopy.load.scenario;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.canopy.load.V5Client;
import io.canopy.load.bench.LatencyRecorder;
import io.canopy.load.bench.SystemUnderTest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * The open-loop core of (b) and (c): one writer connection sets one path on a fixed schedule (write {@code n} is
 * due at {@code start + n / rate}), N other connections listen to it. Latency runs from a write's <i>intended</i>
 * send time to its arrival, so a stall is charged to every write it delayed (no coordinated omission): the writer
 * never waits for replies, and a late sender catches up by sending everything that is due.
 *
 * <p>A subscriber that receives write {@code n} has the state of every write up to {@code n}: if a server skips
 * intermediate values (a slow consumer gets the latest state instead of a backlog), the skipped writes are
 * credited at that moment with their own intended times, and counted as {@code superseded}. Writes whose value never
 * reached a subscriber within the drain time are {@code missing}.
 */
final class OpenLoopFanOut {
    private OpenLoopFanOut() {
    }

    static ObjectNode run(SystemUnderTest sut, ScenarioContext ctx, int subscribers, double rate, int warmupS,
        int durationS, int drainS) throws Exception {
        String path = "/bench/fan/" + System.nanoTime();
        long interval = (long) (1e9 / rate);
        List<V5Client> clients = new ArrayList<>();
        AtomicLong pushes = new AtomicLong();
        AtomicLong credited = new AtomicLong();
        AtomicLong superseded = new AtomicLong();
        // The schedule is fixed once the subscribers are listening; handlers read it through these.
        AtomicLongArray schedule = new AtomicLongArray(3); // start, measureFrom, end
        AtomicReference<LatencyRecorder> push = new AtomicReference<>();
        try {
            List<Subscriber> subs = new ArrayList<>();
            for (int i = 0; i < subscribers; i++) {
                Subscriber sub = new Subscriber(schedule, interval, push, pushes, credited, superseded);
                subs.add(sub);
                clients.add(V5Client.connect(ctx.client(), sut.url(), "bench", sub));
            }
            Connections.listen(clients, path);
            V5Client writer = V5Client.connect(ctx.client(), sut.url(), "bench", new V5Client.Handler() { });
            clients.add(writer);

            long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
            long measureFrom = start + TimeUnit.SECONDS.toNanos(warmupS);
            long end = measureFrom + TimeUnit.SECONDS.toNanos(durationS);
            push.set(new LatencyRecorder(measureFrom));
            LatencyRecorder acks = new LatencyRecorder(measureFrom);
            // Intended send time -> frame written by the JDK client: the load generator's own share of the latency.
            LatencyRecorder written = new LatencyRecorder(measureFrom);
            schedule.set(1, measureFrom);
            schedule.set(2, end);
            schedule.set(0, start); // last: handlers start crediting once it is set
            AtomicLong ackErrors = new AtomicLong();
            AtomicLong acked = new AtomicLong();
            long measuredWrites = 0;
            long maxBehindNanos = 0;
            for (long n = 0; ; n++) {
                long intended = start + n * interval;
                if (intended - end >= 0) {
                    break;
                }
                long wait = intended - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                } else if (intended - measureFrom >= 0) {
                    maxBehindNanos = Math.max(maxBehindNanos, -wait);
                }
                boolean measured = intended - measureFrom >= 0;
                if (measured) {
                    measuredWrites++;
                }
                writer.request("p", "{\"p\":\"" + path + "\",\"d\":{\"n\":" + n + ",\"ts\":" + intended + "}}",
                        () -> {
                            if (measured) {
                                written.record(intended, System.nanoTime());
                            }
                        })
                    .whenComplete((s, e) -> {
                        if (e == null && "ok".equals(s)) {
                            acked.incrementAndGet();
                            if (measured) {
                                acks.record(intended, System.nanoTime());
                            }
                        } else {
                            ackErrors.incrementAndGet();
                        }
                    });
            }
            long expected = measuredWrites * subscribers;
            long drainUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(drainS);
            while (credited.get() < expected && System.nanoTime() - drainUntil < 0) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            }
            // Writes a subscriber never saw are charged up to now: a lower bound of their latency, so that a server
            // that falls behind can't look fast by delivering only what it managed to.
            long missing = 0;
            long lastWrite = (end - start - 1) / interval;
            for (Subscriber sub : subs) {
                missing += sub.giveUp(lastWrite, System.nanoTime());
            }
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            out.put("subscribers", subscribers).put("rate", rate).put("warmupSeconds", warmupS)
                .put("seconds", durationS);
            out.put("writes", measuredWrites).put("writeErrors", ackErrors.get())
                .put("unackedAtEnd", measuredWrites - acks.count());
            out.put("expectedDeliveries", expected).put("deliveries", credited.get() - missing)
                .put("superseded", superseded.get()).put("missing", missing);
            out.put("missingCountedAsLatencyUntilDrainEnd", true);
            out.put("pushesReceived", pushes.get()); // pushes of writes in the measured window
            out.put("ops", credited.get() - missing);
            out.put("deliveriesPerSecond", Math.round((credited.get() - missing) / (double) durationS));
            out.put("writerMaxBehindMs", maxBehindNanos / 1e6);
            out.set("latencyMs", push.get().toJson());
            out.set("ackLatencyMs", acks.toJson());
            out.set("clientSendLagMs", written.toJson());
            ctx.log("%s: %d subscribers at %.0f writes/s: %,d deliveries/s, missing %d, superseded %d; "
                    + "p50 %.1f ms p99 %.1f ms max %.1f ms (of which the client's send queue: p50 %.1f ms, p99 %.1f ms)",
                sut.name(), subscribers, rate, out.get("deliveriesPerSecond").asLong(), out.get("missing").asLong(),
                superseded.get(), push.get().percentileMs(50), push.get().percentileMs(99),
                push.get().percentileMs(100), written.percentileMs(50), written.percentileMs(99));
            return out;
        } finally {
            Connections.closeAll(clients);
        }
    }

    /** One listening connection; credits every write up to the newest value it received. */
    private static final class Subscriber implements V5Client.Handler {
        private final AtomicLongArray schedule;
        private final long interval;
        private final AtomicReference<LatencyRecorder> recorder;
        private final AtomicLong pushes;
        private final AtomicLong credited;
        private final AtomicLong superseded;
        private long last = -1; // writes up to here are delivered
        private boolean gaveUp;

        Subscriber(AtomicLongArray schedule, long interval, AtomicReference<LatencyRecorder> recorder, AtomicLong pushes,
            AtomicLong credited, AtomicLong superseded) {
            this.schedule = schedule;
            this.interval = interval;
            this.recorder = recorder;
            this.pushes = pushes;
            this.credited = credited;
            this.superseded = superseded;
        }

        @Override
        public void onPush(String text) {
            long n = V5Client.longAfter(text, "\"n\":");
            long now = System.nanoTime();
            synchronized (this) {
                if (n <= last || gaveUp || schedule.get(0) == 0) {
                    return;
                }
                if (inWindow(n)) {
                    pushes.incrementAndGet();
                }
                superseded.addAndGet(credit(n, now) - (inWindow(n) ? 1 : 0));
            }
        }

        /** Charges every write up to {@code lastWrite} not yet delivered at {@code now}; returns how many. */
        synchronized long giveUp(long lastWrite, long now) {
            gaveUp = true;
            return lastWrite > last ? credit(lastWrite, now) : 0;
        }

        private long credit(long upTo, long now) {
            long count = 0;
            for (long k = last + 1; k <= upTo; k++) {
                if (inWindow(k)) {
                    recorder.get().record(schedule.get(0) + k * interval, now);
                    count++;
                }
            }
            last = upTo;
            credited.addAndGet(count);
            return count;
        }

        private boolean inWindow(long k) {
            long intended = schedule.get(0) + k * interval;
            return intended - schedule.get(1) >= 0 && intended - schedule.get(2) < 0;
        }
    }
}
