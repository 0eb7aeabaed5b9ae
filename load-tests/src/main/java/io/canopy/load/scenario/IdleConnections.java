package io.canopy.load.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.canopy.load.V5Client;
import io.canopy.load.bench.ProcessStats;
import io.canopy.load.bench.SystemUnderTest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * (d) Many idle connections: opens N v5 connections (15,000; 1,000 with {@code --quick}), each with one listen on
 * a path of its own, and measures the server's memory per connection: Java heap in use after a full GC
 * ({@code jcmd GC.run} + {@code GC.heap_info}) and resident memory, both as (after − before) / N. N is capped by
 * the open-files limit of the load generator and of the server (both inherit {@code ulimit -n}).
 */
public final class IdleConnections implements Scenario {
    public static final int TARGET_CONNECTIONS = 15_000;
    static final int FD_HEADROOM = 400;
    static final int CONNECTING_AT_ONCE = 64;

    private final Integer connections;

    public IdleConnections() {
        this(null);
    }

    /** @param connections how many to open, or null for the default (15,000, or 1,000 when quick) */
    public IdleConnections(Integer connections) {
        this.connections = connections;
    }

    @Override
    public String id() {
        return "d";
    }

    @Override
    public String name() {
        return "idle-connections";
    }

    @Override
    public String description() {
        return "15,000 idle v5 connections with one listen each (own path); server heap after full GC and RSS per"
            + " connection";
    }

    @Override
    public ObjectNode run(SystemUnderTest sut, ScenarioContext ctx) throws Exception {
        int wanted = connections != null ? connections : ctx.pick(1000, TARGET_CONNECTIONS);
        long self = ProcessHandle.current().pid();
        long server = sut.process().pid();
        long room = Math.min(ProcessStats.maxOpenFiles(self) - ProcessStats.openFiles(self),
            ProcessStats.maxOpenFiles(server) - ProcessStats.openFiles(server)) - FD_HEADROOM;
        int n = (int) Math.max(0, Math.min(wanted, room));
        String cap = n < wanted ? "capped by open-files limits (ulimit -n " + ProcessStats.maxOpenFiles(self) + ")"
            : null;

        OptionalLong heapBefore = sut.heapAfterGcBytes();
        long rssBefore = ProcessStats.rssBytes(server);
        long genBefore = loadGeneratorHeap();

        List<V5Client> clients = Collections.synchronizedList(new ArrayList<>(n));
        AtomicLong failures = new AtomicLong();
        Semaphore permits = new Semaphore(CONNECTING_AT_ONCE);
        String run = Long.toString(System.nanoTime());
        long t0 = System.nanoTime();
        try {
            // Phase 1: connections only. Phase 2: one listen on each. Heap is read after each, so the report can
            // split the cost between the connection and its listen.
            List<CompletableFuture<?>> all = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                permits.acquire();
                all.add(V5Client.connectAsync(ctx.client(), sut.url(), "bench", new V5Client.Handler() { })
                    .whenComplete((c, e) -> {
                        permits.release();
                        if (e != null) {
                            failures.incrementAndGet();
                        } else {
                            clients.add(c);
                        }
                    }));
                if (i > 0 && i % 5000 == 0) {
                    ctx.log("%s: %,d connections opened", sut.name(), i);
                }
            }
            awaitAll(all);
            double openSeconds = (System.nanoTime() - t0) / 1e9;
            OptionalLong heapConnected = sut.heapAfterGcBytes();
            all.clear();
            List<V5Client> connected;
            synchronized (clients) {
                connected = new ArrayList<>(clients);
            }
            for (int i = 0; i < connected.size(); i++) {
                permits.acquire();
                all.add(connected.get(i).request("q", "{\"p\":\"/bench/idle/" + run + "/c" + i + "\",\"h\":\"\"}")
                    .whenComplete((st, e) -> {
                        permits.release();
                        if (e != null || !"ok".equals(st)) {
                            failures.incrementAndGet();
                        }
                    }));
            }
            awaitAll(all);
            int held = n - (int) failures.get();
            JsonNode metrics = sut.metrics();
            OptionalLong heapAfter = sut.heapAfterGcBytes();
            long rssAfter = ProcessStats.rssBytes(server);
            long genAfter = loadGeneratorHeap();

            ObjectNode out = JsonNodeFactory.instance.objectNode();
            out.put("requested", wanted).put("connections", held).put("failures", failures.get());
            if (cap != null) {
                out.put("cap", cap);
            }
            out.put("ops", held).put("seconds", Math.round(openSeconds * 10) / 10.0);
            out.put("connectsPerSecond", Math.round(held / openSeconds));
            if (heapBefore.isPresent() && heapAfter.isPresent() && held > 0) {
                out.put("heapBeforeMb", heapBefore.getAsLong() / 1048576.0);
                out.put("heapAfterMb", heapAfter.getAsLong() / 1048576.0);
                out.put("heapPerConnectionKb", round1((heapAfter.getAsLong() - heapBefore.getAsLong()) / 1024.0 / held));
                if (heapConnected.isPresent()) {
                    out.put("heapPerBareConnectionKb",
                        round1((heapConnected.getAsLong() - heapBefore.getAsLong()) / 1024.0 / held));
                    out.put("heapPerListenKb", round1((heapAfter.getAsLong() - heapConnected.getAsLong()) / 1024.0 / held));
                }
            }
            if (held > 0) {
                out.put("rssPerConnectionKb", round1((rssAfter - rssBefore) / 1024.0 / held));
                out.put("loadGeneratorHeapPerConnectionKb", round1((genAfter - genBefore) / 1024.0 / held));
            }
            if (metrics != null) {
                out.put("serverOpenWebSockets", metrics.path("gateway").path("webSocket").path("open").asLong());
                out.put("serverListeners", metrics.path("pusher").path("listeners").asLong());
            }
            ctx.log("%s: %,d connections held (%d failed), opened in %.1f s; heap/conn %s KB (connection %s +"
                    + " listen %s), RSS/conn %s KB", sut.name(), held, failures.get(), openSeconds,
                out.path("heapPerConnectionKb").asText("n/a"), out.path("heapPerBareConnectionKb").asText("n/a"),
                out.path("heapPerListenKb").asText("n/a"), out.path("rssPerConnectionKb").asText());
            return out;
        } finally {
            synchronized (clients) {
                clients.forEach(V5Client::abort);
            }
            awaitClosed(sut);
        }
    }

    private static void awaitAll(List<CompletableFuture<?>> all) throws Exception {
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).exceptionally(e -> null).get(5, TimeUnit.MINUTES);
    }

    /** Waits (at most 30 s) until the server reports no open WebSockets, so the next scenario starts clean. */
    private static void awaitClosed(SystemUnderTest sut) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            JsonNode m = sut.metrics();
            if (m == null || m.path("gateway").path("webSocket").path("open").asLong() == 0) {
                return;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static long loadGeneratorHeap() {
        System.gc();
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }

    private static double round1(double v) {
        return Math.round(v * 10) / 10.0;
    }
}
