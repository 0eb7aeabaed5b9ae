package io.canopy.load.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.canopy.load.scenario.HotPath;
import io.canopy.load.scenario.ScenarioContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/**
 * The short benchmark of CI: a hot-path burst against the real server jar with Nagle batching on and off. It fails
 * only on a gross regression, judged by ratios measured in this same run (never by an absolute time, which
 * depends on the machine and on whatever else runs on it): batching must still compose a hot path into at most a
 * third of the store writes per op that the unbatched server needs, and must not cost more than half of its
 * throughput. A third, not less: with batching off the processor still group-commits the writes that arrive during
 * a flush, so the unbatched figure depends on fsync time (measured here: 0.015-0.018 vs 0.10-0.11 store writes
 * per op, cold servers, loaded machine); broken batching gives a ratio near 1.
 */
class BenchRegressionIT {
    static final int BURST = 1000;

    @Test
    void batchingStillComposesAHotPathBurst() throws Exception {
        Path jar = Path.of(System.getProperty("canopy.server.jar", "../server/target/canopy-server.jar"));
        assertThat(Files.isRegularFile(jar))
            .as("server jar %s (build it first: mvn -B -ntp -pl server -am package -DskipTests)", jar).isTrue();
        Path logs = Path.of("target", "bench-it");
        // Start both at once: server start-up is most of this test's time.
        CompletableFuture<ServerProcess> batched = start(jar, true, logs.resolve("server-batching.log"));
        CompletableFuture<ServerProcess> unbatched = start(jar, false, logs.resolve("server-no-batching.log"));
        try {
            ScenarioContext ctx = new ScenarioContext(true, System.out);
            ObjectNode on = new HotPath(BURST).run(batched.join(), ctx);
            ObjectNode off = new HotPath(BURST).run(unbatched.join(), ctx);

            assertThat(on.get("acked").asLong()).as("batched burst acked").isEqualTo(BURST);
            assertThat(off.get("acked").asLong()).as("unbatched burst acked").isEqualTo(BURST);
            assertThat(on.get("processorWrites").asLong()).isGreaterThanOrEqualTo(BURST);
            assertThat(off.get("storeWrites").asLong()).as("the unbatched server wrote the store").isPositive();
            double onPerOp = on.get("storeWritesPerOp").asDouble();
            double offPerOp = off.get("storeWritesPerOp").asDouble();
            assertThat(onPerOp).as("store writes per op, batching on (%s) vs off (%s)", on, off)
                .isLessThanOrEqualTo(offPerOp / 3);
            assertThat(on.get("writesPerSecond").asDouble()).as("burst writes/s, batching on vs off")
                .isGreaterThanOrEqualTo(off.get("writesPerSecond").asDouble() * 0.5);
        } finally {
            stop(batched);
            stop(unbatched);
        }
    }

    private static CompletableFuture<ServerProcess> start(Path jar, boolean batching, Path log) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return ServerProcess.start(jar, batching, log, Duration.ofMinutes(2));
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        });
    }

    private static void stop(CompletableFuture<ServerProcess> server) {
        server.thenAccept(ServerProcess::close).exceptionally(e -> null).join();
    }
}
