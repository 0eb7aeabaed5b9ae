package io.canopy.load;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * Write → other-subscriber latency over the v5 WebSocket protocol: one writer connection sets {@code /lat/v} at a
 * fixed rate (open loop), N subscriber connections listen to it, and each push's latency is measured from the
 * write's <i>intended</i> send time (embedded in the value), so a stalled server cannot hide behind a slowed
 * writer (no coordinated omission). Writer, subscribers and clock live in this one JVM.
 */
public final class WsLatencyLoad {
    public static final String NAME = "ws-latency";
    static final String USAGE = String.join("\n",
        "usage: java -jar canopy-load.jar ws-latency [flags]",
        "  --url URL           server base URL (default http://localhost:9000)",
        "  --ns NAME           namespace (default load)",
        "  --subscribers N     listening connections (default 10)",
        "  --rate R            writes per second (default 1000)",
        "  --duration D        measured time, e.g. 20s (default 20s)",
        "  --warmup D          unmeasured time first (default 5s)",
        "  --json              also print a JSON summary line");

    private WsLatencyLoad() {}

    public static int run(String[] args, PrintStream out, PrintStream err) {
        Map<String, String> flags = new LinkedHashMap<>(Map.of("--url", "http://localhost:9000", "--ns", "load",
            "--subscribers", "10", "--rate", "1000", "--duration", "20s", "--warmup", "5s"));
        boolean json = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--help") || a.equals("-h")) {
                out.println(USAGE);
                return 0;
            } else if (a.equals("--json")) {
                json = true;
            } else if (flags.containsKey(a) && i + 1 < args.length) {
                flags.put(a, args[++i]);
            } else {
                err.println("canopy-load ws-latency: bad flag " + a + "\n" + USAGE);
                return 2;
            }
        }
        try {
            String url = flags.get("--url").replaceAll("/+$", "");
            String ns = flags.get("--ns");
            int subscribers = Integer.parseInt(flags.get("--subscribers"));
            double rate = Double.parseDouble(flags.get("--rate"));
            Duration duration = LoadOptions.parseDuration("--duration", flags.get("--duration"), false);
            Duration warmup = LoadOptions.parseDuration("--warmup", flags.get("--warmup"), true);
            return measure(url, ns, subscribers, rate, duration, warmup, json, out);
        } catch (IllegalArgumentException e) {
            err.println("canopy-load ws-latency: " + e.getMessage());
            return 2;
        } catch (Exception e) {
            err.println("canopy-load ws-latency: " + e);
            return 1;
        }
    }

    private static int measure(String url, String ns, int subscribers, double rate, Duration duration,
        Duration warmup, boolean json, PrintStream out) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long startNanos = System.nanoTime();
        long measureFrom = startNanos + warmup.toNanos();
        long end = measureFrom + duration.toNanos();
        Histogram pushes = LatencyReport.newHistogram();
        Histogram acks = LatencyReport.newHistogram();
        AtomicLong received = new AtomicLong();
        List<V5Client> clients = new ArrayList<>();
        CountDownLatch listening = new CountDownLatch(subscribers);
        try {
            for (int i = 0; i < subscribers; i++) {
                V5Client c = V5Client.connect(http, url, ns, d -> onSubscriberMessage(d, measureFrom, pushes,
                    received, listening));
                clients.add(c);
                c.send("q", "{\"p\":\"/lat/v\",\"h\":\"\"}");
            }
            if (!listening.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("subscribers did not get their listen replies");
            }
            Map<Long, Long> sentAt = new java.util.concurrent.ConcurrentHashMap<>();
            V5Client writer = V5Client.connect(http, url, ns, d -> {
                JsonNode r = d.get("r");
                if (r != null) {
                    Long intended = sentAt.remove(r.asLong());
                    if (intended != null && intended >= measureFrom) {
                        synchronized (acks) {
                            acks.recordValue(Math.max(0, (System.nanoTime() - intended) / 1000));
                        }
                    }
                }
            });
            clients.add(writer);
            long interval = (long) (1e9 / rate);
            long n = 0;
            long sent = 0;
            while (true) {
                long intended = startNanos + n * interval;
                if (intended >= end) {
                    break;
                }
                long wait = intended - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                long r = writer.send("p", "{\"p\":\"/lat/v\",\"d\":{\"t\":" + intended + ",\"n\":" + n + "}}");
                sentAt.put(r, intended);
                n++;
                if (intended >= measureFrom) {
                    sent++;
                }
            }
            long drainUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (received.get() < sent * subscribers && System.nanoTime() < drainUntil) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            }
            LatencyReport pushReport;
            LatencyReport ackReport;
            synchronized (pushes) {
                pushReport = new LatencyReport(pushes.copy());
            }
            synchronized (acks) {
                ackReport = new LatencyReport(acks.copy());
            }
            out.printf("canopy-load ws-latency: %s ns=%s subscribers=%d rate=%.0f/s warmup=%s duration=%s%n", url, ns,
                subscribers, rate, LoadOptions.format(warmup), LoadOptions.format(duration));
            out.printf("writes:      %d measured (%d pushes expected, %d received)%n", sent, sent * subscribers,
                received.get());
            out.println("push latency (write intended → other subscriber): " + pushReport.format());
            out.println("ack latency (write intended → writer's ack):      " + ackReport.format());
            if (json) {
                out.println("{\"scenario\":\"ws-latency\",\"subscribers\":" + subscribers + ",\"rate\":" + rate
                    + ",\"writes\":" + sent + ",\"pushesReceived\":" + received.get() + ",\"pushLatencyMs\":"
                    + toJson(pushReport.millis()) + ",\"ackLatencyMs\":"
                    + toJson(ackReport.millis()) + "}");
            }
            return received.get() >= sent * subscribers ? 0 : 1;
        } finally {
            for (V5Client c : clients) {
                c.close();
            }
        }
    }

    private static String toJson(Map<String, Double> m) throws Exception {
        return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(m);
    }

    private static void onSubscriberMessage(JsonNode d, long measureFrom, Histogram pushes, AtomicLong received,
        CountDownLatch listening) {
        if (d.has("r")) {
            listening.countDown(); // the listen's ok
            return;
        }
        JsonNode t = d.path("b").path("d").path("t");
        if (t.isNumber() && t.asLong() >= measureFrom) {
            long micros = Math.max(0, (System.nanoTime() - t.asLong()) / 1000);
            synchronized (pushes) {
                pushes.recordValue(micros);
            }
            received.incrementAndGet();
        }
    }
}
