package io.canopy.load.scenario;

import io.canopy.load.V5Client;
import io.canopy.load.bench.LatencyRecorder;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;

/**
 * A closed-loop write pump: every connection keeps {@code window} puts in flight and sends the next one when a
 * reply arrives, until either the deadline passes or {@code limit} writes have been sent. Ack latency runs from
 * the actual send; only writes sent inside {@code [measureFrom, end)} are counted and recorded.
 */
final class Pipeline {
    private final List<V5Client> connections;
    private final int window;
    private final LongFunction<String> body;
    private final long limit;
    private final AtomicLong sent = new AtomicLong();
    final AtomicLong ok = new AtomicLong();
    final AtomicLong errors = new AtomicLong();
    private final AtomicLong measuredOk = new AtomicLong();
    private long measureFrom;
    private long end;
    private LatencyRecorder latency;
    private CountDownLatch idle;

    /**
     * @param body  the put's body for write number {@code n} ({@code {"p":..,"d":..}})
     * @param limit most writes to send in all (Long.MAX_VALUE: until the deadline)
     */
    Pipeline(List<V5Client> connections, int window, LongFunction<String> body, long limit) {
        this.connections = connections;
        this.window = window;
        this.body = body;
        this.limit = limit;
    }

    /** Runs until {@code end} (nanoTime) or the limit; waits up to {@code drainSeconds} for outstanding replies. */
    void run(long measureFrom, long end, LatencyRecorder latency, int drainSeconds) throws InterruptedException {
        this.measureFrom = measureFrom;
        this.end = end;
        this.latency = latency;
        this.idle = new CountDownLatch(connections.size() * window);
        for (V5Client c : connections) {
            for (int i = 0; i < window; i++) {
                next(c);
            }
        }
        long waitNanos = Math.max(0, end - System.nanoTime()) + TimeUnit.SECONDS.toNanos(drainSeconds);
        idle.await(waitNanos, TimeUnit.NANOSECONDS);
    }

    long measuredOk() {
        return measuredOk.get();
    }

    long sent() {
        return sent.get();
    }

    private void next(V5Client c) {
        long now = System.nanoTime();
        if (now - end >= 0) {
            idle.countDown();
            return;
        }
        long n = sent.getAndIncrement();
        if (n >= limit) {
            sent.decrementAndGet();
            idle.countDown();
            return;
        }
        c.request("p", body.apply(n)).whenComplete((status, error) -> {
            long done = System.nanoTime();
            if (error == null && "ok".equals(status)) {
                ok.incrementAndGet();
                if (now - measureFrom >= 0 && now - end < 0) {
                    measuredOk.incrementAndGet();
                    latency.record(now, done);
                }
                next(c);
            } else {
                errors.incrementAndGet();
                idle.countDown(); // this slot stops: a failing connection would otherwise spin
            }
        });
    }
}
