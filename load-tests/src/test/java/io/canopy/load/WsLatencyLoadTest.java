package io.canopy.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WsLatencyLoadTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void isRegisteredAndDocumentsItsFlags() {
        assertThat(run("ws-latency", "--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--subscribers", "--rate", "--duration");
        out.reset();
        assertThat(run("--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("ws-latency");
    }

    @Test
    void rejectsUnknownFlagsAndBadDurations() {
        assertThat(run("ws-latency", "--bogus")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("bad flag --bogus");
        err.reset();
        assertThat(run("ws-latency", "--duration", "soon")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("duration");
    }

    @Test
    void unreachableServerIsAnErrorNotAHang() {
        assertThat(run("ws-latency", "--url", "http://127.0.0.1:1", "--duration", "1s", "--warmup", "0s"))
            .isEqualTo(1);
    }
}
