package io.canopy.load.scenario;

import java.io.PrintStream;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What every scenario gets: whether this is a {@code --quick} run (shorter phases, smaller counts), where progress
 * lines go, and a few shared HTTP clients to open v5 connections on (each JDK client has one selector thread, so
 * connections are spread over several).
 */
public final class ScenarioContext {
    private final boolean quick;
    private final PrintStream log;
    private final HttpClient[] clients;
    private final AtomicInteger next = new AtomicInteger();

    public ScenarioContext(boolean quick, PrintStream log) {
        this.quick = quick;
        this.log = log;
        this.clients = new HttpClient[4];
        for (int i = 0; i < clients.length; i++) {
            clients[i] = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        }
    }

    public boolean quick() {
        return quick;
    }

    /** Prints one progress line. */
    public void log(String format, Object... args) {
        log.printf(java.util.Locale.ROOT, "  " + format + "%n", args);
    }

    /** The next HTTP client, round robin. */
    public HttpClient client() {
        return clients[Math.floorMod(next.getAndIncrement(), clients.length)];
    }

    /** Picks the quick or the full value. */
    public <T> T pick(T quickValue, T fullValue) {
        return quick ? quickValue : fullValue;
    }
}
