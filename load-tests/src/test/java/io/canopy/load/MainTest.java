package io.canopy.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class MainTest {

    private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(outBytes, true, StandardCharsets.UTF_8);
    private final PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);

    @Test
    void listsScenarios() {
        assertThat(Main.run(new String[] {"--help"}, out, err)).isZero();
        assertThat(outBytes.toString(StandardCharsets.UTF_8)).contains("usage:", "rest-write");
    }

    @Test
    void noScenarioIsAUsageError() {
        assertThat(Main.run(new String[0], out, err)).isEqualTo(2);
        assertThat(errBytes.toString(StandardCharsets.UTF_8)).contains("rest-write");
    }

    @Test
    void unknownScenario() {
        assertThat(Main.run(new String[] {"no-such-scenario"}, out, err)).isEqualTo(2);
        assertThat(errBytes.toString(StandardCharsets.UTF_8)).contains("unknown scenario 'no-such-scenario'");
    }

    @Test
    void dispatchesRestWriteWithItsFlags() {
        assertThat(Main.run(new String[] {"rest-write", "--help"}, out, err)).isZero();
        assertThat(outBytes.toString(StandardCharsets.UTF_8)).contains("usage: canopy-load rest-write");

        assertThat(Main.run(new String[] {"rest-write", "--nope"}, out, err)).isEqualTo(2);
        assertThat(errBytes.toString(StandardCharsets.UTF_8)).contains("unknown flag --nope");
    }
}
