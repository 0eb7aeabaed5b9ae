package io.canopy.load.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.canopy.load.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchOptionsTest {
    @Test
    void defaultsRunEverythingFromThisCheckout() {
        BenchOptions o = BenchOptions.parse();
        assertThat(o.scenarios()).containsExactly("a", "b", "c", "d", "e");
        assertThat(o.quick()).isFalse();
        assertThat(o.peer()).isFalse();
        assertThat(o.serverJar()).endsWithRaw(Path.of("server", "target", "canopy-server.jar"));
        assertThat(o.peerDir()).endsWithRaw(Path.of("load-tests", "peer"));
        assertThat(o.outDir()).endsWithRaw(Path.of("load-tests", "target", "bench"));
    }

    @Test
    void scenariosAreKeptInTheBenchOrder() {
        BenchOptions o = BenchOptions.parse("--scenarios", "e,a", "--quick", "--peer", "--out", "/tmp/x");
        assertThat(o.scenarios()).containsExactly("a", "e");
        assertThat(o.quick()).isTrue();
        assertThat(o.peer()).isTrue();
        assertThat(o.outDir()).isEqualTo(Path.of("/tmp/x"));
        assertThat(BenchOptions.parse("--scenarios", "all").scenarios()).hasSize(5);
    }

    @Test
    void rejectsUnknownScenariosAndFlags() {
        assertThatThrownBy(() -> BenchOptions.parse("--scenarios", "a,z")).hasMessageContaining("'z'");
        assertThatThrownBy(() -> BenchOptions.parse("--fast")).hasMessageContaining("unknown flag --fast");
        assertThatThrownBy(() -> BenchOptions.parse("--out")).hasMessageContaining("needs a value");
    }

    @Test
    void isRegisteredInMainWithItsHelp() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        assertThat(Main.run(new String[] {"bench", "--help"}, o, e)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--quick", "--peer", "--scenarios", "hot path");
        assertThat(Main.run(new String[] {"bench", "--nope"}, o, e)).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown flag --nope");
    }

    @Test
    void aMissingServerJarFailsFastWithTheBuildCommand(@TempDir Path out) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Bench.run(new String[] {"--quick", "--scenarios", "a", "--server-jar", "/nonexistent.jar", "--out",
            out.toString()}, new PrintStream(new ByteArrayOutputStream()),
            new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("server jar not found", "package");
    }
}
