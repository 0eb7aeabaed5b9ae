package io.canopy.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Runs the whole scenario for about a second against {@link FakeCanopyServer}. */
@Timeout(30)
class RestWriteLoadTest {

    private final ObjectMapper json = new ObjectMapper();
    private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(outBytes, true, StandardCharsets.UTF_8);
    private final PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);
    private FakeCanopyServer server;

    @BeforeEach
    void start() throws Exception {
        server = new FakeCanopyServer();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private String stdout() {
        return outBytes.toString(StandardCharsets.UTF_8);
    }

    private LoadResult execute(String... args) throws Exception {
        return new RestWriteLoad(LoadOptions.parse(args), out, err).execute();
    }

    @Test
    void closedLoopCountsAddUp() throws Exception {
        LoadResult r = execute("--url", server.url(), "--writers", "4", "--paths", "3",
                "--warmup", "200ms", "--duration", "1s", "--value-bytes", "10");

        assertThat(r.writes()).isPositive();
        assertThat(r.errors()).isEmpty();
        assertThat(r.errorCount()).isZero();
        assertThat(r.ok()).isEqualTo(r.writes());
        assertThat(r.latencyMicros().getTotalCount()).isEqualTo(r.ok());
        assertThat(r.warmupWrites()).isPositive();
        // Every request the server saw was answered and counted either in warm-up or in the window.
        assertThat(server.writes.get()).isEqualTo(r.warmupWrites() + r.writes());
        assertThat(r.writesPerSecond()).isEqualTo(r.ok() / 1.0);

        assertThat(server.pathsWritten).containsExactlyInAnyOrder("/load/0.json", "/load/1.json", "/load/2.json");
        assertThat(server.queries).containsExactly("ns=load");
        assertThat(server.methods).containsExactly("PUT");
        assertThat(server.contentTypes).containsOnlyKeys("application/json");
        JsonNode value = json.readTree(server.sampleBodies.get(0));
        assertThat(value.get("w").isInt()).isTrue();
        assertThat(value.get("n").canConvertToLong()).isTrue();
        assertThat(value.get("t").canConvertToLong()).isTrue();
        assertThat(value.get("pad").asText()).isEqualTo("x".repeat(10));
    }

    @Test
    void hotPathWithPatchAndCustomNamespace() throws Exception {
        LoadResult r = execute("--url", server.url() + "/", "--writers", "2", "--hot", "--method", "PATCH",
                "--ns", "bench one", "--warmup", "0s", "--duration", "300ms", "--value-bytes", "0");

        assertThat(r.writes()).isPositive();
        assertThat(r.errorCount()).isZero();
        assertThat(r.warmupWrites()).isZero();
        assertThat(server.writes.get()).isEqualTo(r.writes());
        assertThat(server.pathsWritten).containsExactly("/load/hot.json");
        assertThat(server.queries).containsExactly("ns=bench+one");
        assertThat(server.methods).containsExactly("PATCH");
        assertThat(json.readTree(server.sampleBodies.get(0)).has("pad")).isFalse();
    }

    @Test
    void openLoopSendsOrAccountsForEveryScheduledWrite() throws Exception {
        // 100 writes/s over 4 writers for 1 s: each writer owns 25 slots 40 ms apart.
        LoadResult r = execute("--url", server.url(), "--writers", "4", "--rate", "100",
                "--warmup", "0s", "--duration", "1s");

        assertThat(r.errorCount()).isZero();
        assertThat(r.writes()).isPositive();
        assertThat(r.writes() + r.unsent()).isEqualTo(100);
        assertThat(server.writes.get()).isEqualTo(r.writes());
        assertThat(r.latencyMicros().getTotalCount()).isEqualTo(r.ok());
    }

    @Test
    void failedWritesAreCountedByStatus() throws Exception {
        server.writeStatus = 503;
        LoadResult r = execute("--url", server.url(), "--writers", "2", "--warmup", "0s", "--duration", "300ms");

        assertThat(r.writes()).isPositive();
        assertThat(r.ok()).isZero();
        assertThat(r.errors()).containsOnlyKeys("503");
        assertThat(r.errorCount()).isEqualTo(r.writes());
        assertThat(r.latencyMicros().getTotalCount()).isZero();
    }

    @Test
    void printsReportServerStatsAndJsonSummary() throws Exception {
        server.metricsJson = "{\"flushes\":3,\"opsPerFlush\":12.5}";
        int code = RestWriteLoad.run(new String[] {"--url", server.url(), "--writers", "2", "--warmup", "0s",
                "--duration", "300ms", "--json"}, out, err);

        assertThat(code).isZero();
        assertThat(server.metricsRequests.get()).isEqualTo(2);
        String text = stdout();
        assertThat(text).contains("server stats (start): {\"flushes\":3,\"opsPerFlush\":12.5}",
                "server stats (end): {\"flushes\":3,\"opsPerFlush\":12.5}",
                "writes:", "errors:      none", "writes/s", "latency:     p50=");

        String[] lines = text.split("\\R");
        JsonNode summary = json.readTree(lines[lines.length - 1]);
        assertThat(summary.get("scenario").asText()).isEqualTo("rest-write");
        assertThat(summary.get("writers").asInt()).isEqualTo(2);
        assertThat(summary.get("mode").asText()).isEqualTo("closed");
        assertThat(summary.get("errorCount").asLong()).isZero();
        long writes = summary.get("writes").asLong();
        assertThat(writes).isPositive().isEqualTo(summary.get("ok").asLong())
                .isEqualTo(summary.get("latencyMs").get("count").asLong());
        assertThat(summary.get("latencyMs").fieldNames()).toIterable()
                .containsExactly("count", "p50", "p90", "p99", "p99.9", "max", "mean");
        assertThat(summary.get("serverStats").get("end").get("flushes").asInt()).isEqualTo(3);
    }

    @Test
    void missingMetricsEndpointIsIgnored() throws Exception {
        int code = RestWriteLoad.run(new String[] {"--url", server.url(), "--writers", "1", "--warmup", "0s",
                "--duration", "200ms", "--json"}, out, err);

        assertThat(code).isZero();
        assertThat(stdout()).doesNotContain("server stats");
        String[] lines = stdout().split("\\R");
        JsonNode summary = json.readTree(lines[lines.length - 1]);
        assertThat(summary.get("serverStats").get("start").isNull()).isTrue();
    }

    @Test
    void exitCodes() {
        server.writeStatus = 500;
        assertThat(RestWriteLoad.run(new String[] {"--url", server.url(), "--writers", "1", "--warmup", "0s",
                "--duration", "100ms"}, out, err)).isEqualTo(1);
        assertThat(stdout()).contains("errors:      500=");

        assertThat(RestWriteLoad.run(new String[] {"--writers", "zero"}, out, err)).isEqualTo(2);
        assertThat(errBytes.toString(StandardCharsets.UTF_8))
                .contains("canopy-load rest-write: flag --writers: 'zero' is not a whole number");

        assertThat(RestWriteLoad.run(new String[] {"--help"}, out, err)).isZero();
        assertThat(stdout()).contains("usage: canopy-load rest-write");
    }

    @Test
    void writersSpreadOverAllPaths() throws Exception {
        LoadResult r = execute("--url", server.url(), "--writers", "3", "--paths", "7",
                "--warmup", "0s", "--duration", "500ms");

        assertThat(r.errorCount()).isZero();
        // Writer w's n-th write goes to (n * writers + w) % paths, so the writers cover every path.
        assertThat(r.writes()).isGreaterThanOrEqualTo(7);
        assertThat(server.pathsWritten).containsExactlyInAnyOrderElementsOf(
                IntStream.range(0, 7).mapToObj(i -> "/load/" + i + ".json").collect(Collectors.toList()));
    }
}
