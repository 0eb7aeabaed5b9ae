package io.canopy.load.scenario;

import io.canopy.load.V5Client;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Opening and closing groups of v5 connections. */
final class Connections {
    private Connections() {
    }

    static List<V5Client> open(ScenarioContext ctx, String url, int count, V5Client.Handler handler) throws Exception {
        List<V5Client> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(V5Client.connect(ctx.client(), url, "bench", handler));
        }
        return out;
    }

    /** Listens to {@code path} on every connection and waits for all the {@code ok}s. */
    static void listen(List<V5Client> clients, String path) throws Exception {
        List<java.util.concurrent.CompletableFuture<String>> oks = new ArrayList<>();
        for (V5Client c : clients) {
            oks.add(c.request("q", "{\"p\":\"" + path + "\",\"h\":\"\"}"));
        }
        for (var f : oks) {
            String s = f.get(30, TimeUnit.SECONDS);
            if (!"ok".equals(s)) {
                throw new IllegalStateException("listen on " + path + " answered " + s);
            }
        }
    }

    static void closeAll(List<V5Client> clients) {
        for (V5Client c : clients) {
            c.abort();
        }
        clients.clear();
    }
}
