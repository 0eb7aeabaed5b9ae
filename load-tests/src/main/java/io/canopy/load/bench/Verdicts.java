package io.canopy.load.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;

/**
 * Judges the targets and computes the Canopy / firebase-server ratios from the scenario results. Pure: JSON
 * in, JSON out. A target is {@code met}, {@code not met}, or {@code not measured} (scenario skipped or failed);
 * in a quick run the verdicts are marked indicative, because the counts and durations are smaller than the
 * targets name.
 */
public final class Verdicts {
    private Verdicts() {
    }

    /** Targets of the part 3, judged on Canopy's results ({@code scenarios.<id>.canopy}). */
    public static ArrayNode targets(JsonNode scenarios, boolean quick) {
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        JsonNode a = canopy(scenarios, "a");
        target(out, "a", ">= 10,000 acked writes/s to one namespace", a == null ? null
            : num(a.path("writesPerSecond").asDouble(), "writes/s"),
            a == null ? null : a.path("writesPerSecond").asDouble() >= 10_000, quick);

        JsonNode b = runAtRate(canopy(scenarios, "b"), 5000);
        target(out, "b", "write -> subscriber p50 <= 10 ms, p99 <= 50 ms at 5,000 writes/s, 10 subscribers",
            b == null ? null : String.format(Locale.ROOT, "p50 %.1f ms, p99 %.1f ms, %s missing",
                b.path("latencyMs").path("p50").asDouble(), b.path("latencyMs").path("p99").asDouble(),
                pct(b.path("missing").asDouble(), b.path("expectedDeliveries").asDouble())),
            b == null ? null : b.path("latencyMs").path("p50").asDouble() <= 10
                && b.path("latencyMs").path("p99").asDouble() <= 50 && complete(b), quick);

        JsonNode c = canopy(scenarios, "c");
        target(out, "c", ">= 50,000 deliveries/s fan-out with p99 <= 100 ms", c == null ? null
            : String.format(Locale.ROOT, "%s deliveries/s, p99 %.1f ms, %s missing",
                String.format(Locale.ROOT, "%,d", c.path("deliveriesPerSecond").asLong()),
                c.path("latencyMs").path("p99").asDouble(),
                pct(c.path("missing").asDouble(), c.path("expectedDeliveries").asDouble())),
            c == null ? null : c.path("deliveriesPerSecond").asDouble() >= 50_000
                && c.path("latencyMs").path("p99").asDouble() <= 100 && complete(c), quick);

        JsonNode d = canopy(scenarios, "d");
        boolean heapKnown = d != null && d.has("heapPerConnectionKb");
        target(out, "d", "<= 10 KB heap per idle connection with one listen, 15,000 connections per gateway",
            d == null ? null : String.format(Locale.ROOT, "%s KB heap/connection at %,d connections%s",
                heapKnown ? d.path("heapPerConnectionKb").asText() : "n/a", d.path("connections").asLong(),
                d.has("cap") ? " (" + d.path("cap").asText() + ")" : ""),
            d == null || !heapKnown ? null : d.path("heapPerConnectionKb").asDouble() <= 10
                && (quick || d.path("connections").asLong() >= 15_000), quick);

        JsonNode e = canopy(scenarios, "e");
        JsonNode on = e == null ? null : e.get("batchingOn");
        target(out, "e", "hot path: a 10,000-write burst to one path costs <= 1% store writes per op",
            on == null ? null : String.format(Locale.ROOT, "%.2f%% (%d store writes for %,d writes)",
                on.path("storeWritesPerOp").asDouble() * 100, on.path("storeWrites").asLong(),
                on.path("processorWrites").asLong()),
            on == null ? null : on.path("storeWritesPerOp").asDouble() <= 0.01
                && (quick || on.path("burst").asLong() >= 10_000), quick);
        return out;
    }

    /** Canopy / firebase-server ratios for the scenarios both ran. */
    public static ArrayNode ratios(JsonNode scenarios) {
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        JsonNode ca = canopy(scenarios, "a");
        JsonNode pa = peer(scenarios, "a");
        if (ca != null && pa != null) {
            ratio(out, "a", "acked writes/s", ca.path("writesPerSecond"), pa.path("writesPerSecond"), "higher");
            ratio(out, "a", "ack latency p99 (ms)", ca.path("ackLatencyMs").path("p99"),
                pa.path("ackLatencyMs").path("p99"), "lower");
            ratio(out, "a", "server CPU per acked write (us)", ca.path("cpu").path("serverCpuMicrosPerOp"),
                pa.path("cpu").path("serverCpuMicrosPerOp"), "lower");
        }
        JsonNode cb = canopy(scenarios, "b");
        JsonNode pb = peer(scenarios, "b");
        if (cb != null && pb != null) {
            for (JsonNode run : cb.path("runs")) {
                int rate = run.path("rate").asInt();
                JsonNode other = runAtRate(pb, rate);
                if (other != null) {
                    String at = " at " + String.format(Locale.ROOT, "%,d", rate) + " writes/s";
                    ratio(out, "b", "push latency p50 (ms)" + at, run.path("latencyMs").path("p50"),
                        other.path("latencyMs").path("p50"), "lower");
                    ratio(out, "b", "push latency p99 (ms)" + at, run.path("latencyMs").path("p99"),
                        other.path("latencyMs").path("p99"), "lower");
                }
            }
        }
        JsonNode cc = canopy(scenarios, "c");
        JsonNode pc = peer(scenarios, "c");
        if (cc != null && pc != null) {
            ratio(out, "c", "deliveries/s", cc.path("deliveriesPerSecond"), pc.path("deliveriesPerSecond"), "higher");
            ratio(out, "c", "delivery latency p99 (ms)", cc.path("latencyMs").path("p99"),
                pc.path("latencyMs").path("p99"), "lower");
        }
        JsonNode cd = canopy(scenarios, "d");
        JsonNode pd = peer(scenarios, "d");
        if (cd != null && pd != null) {
            ratio(out, "d", "RSS per idle connection (KB)", cd.path("rssPerConnectionKb"), pd.path("rssPerConnectionKb"),
                "lower");
        }
        return out;
    }

    private static void ratio(ArrayNode out, String id, String metric, JsonNode canopy, JsonNode peer, String better) {
        if (!canopy.isNumber() || !peer.isNumber()) {
            return;
        }
        ObjectNode r = out.addObject();
        r.put("scenario", id).put("metric", metric).put("canopy", canopy.asDouble()).put("peer", peer.asDouble());
        if (peer.asDouble() != 0) {
            r.put("ratio", Math.round(canopy.asDouble() / peer.asDouble() * 100) / 100.0);
        }
        r.put("better", better);
    }

    private static void target(ArrayNode out, String id, String target, String measured, Boolean met, boolean quick) {
        ObjectNode t = out.addObject();
        t.put("scenario", id).put("target", target);
        t.put("measured", measured == null ? "not measured" : measured);
        t.put("verdict", met == null ? "not measured" : met ? "met" : "not met");
        if (quick && met != null) {
            t.put("indicative", "quick run: shorter and smaller than the target names");
        }
    }

    private static boolean complete(JsonNode run) {
        double expected = run.path("expectedDeliveries").asDouble();
        return expected > 0 && run.path("missing").asDouble() <= expected * 0.01;
    }

    private static String pct(double part, double whole) {
        return whole <= 0 ? "n/a" : String.format(Locale.ROOT, "%.2f%%", part * 100 / whole);
    }

    private static String num(double v, String unit) {
        return String.format(Locale.ROOT, "%,.0f %s", v, unit);
    }

    static JsonNode runAtRate(JsonNode b, int rate) {
        if (b == null) {
            return null;
        }
        for (JsonNode run : b.path("runs")) {
            if (run.path("rate").asInt() == rate) {
                return run;
            }
        }
        return null;
    }

    private static JsonNode canopy(JsonNode scenarios, String id) {
        return ok(scenarios.path(id).get("canopy"));
    }

    private static JsonNode peer(JsonNode scenarios, String id) {
        return ok(scenarios.path(id).get("peer"));
    }

    private static JsonNode ok(JsonNode n) {
        return n == null || n.isNull() || n.has("error") ? null : n;
    }
}
