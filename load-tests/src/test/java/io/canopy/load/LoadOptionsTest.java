package io.canopy.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;

import org.junit.jupiter.api.Test;

class LoadOptionsTest {

    @Test
    void defaults() {
        LoadOptions o = LoadOptions.parse();
        assertThat(o.url()).isEqualTo(URI.create("http://localhost:9000"));
        assertThat(o.ns()).isEqualTo("load");
        assertThat(o.writers()).isEqualTo(16);
        assertThat(o.duration()).isEqualTo(Duration.ofSeconds(30));
        assertThat(o.warmup()).isEqualTo(Duration.ofSeconds(5));
        assertThat(o.paths()).isEqualTo(1000);
        assertThat(o.hot()).isFalse();
        assertThat(o.rate()).isZero();
        assertThat(o.openLoop()).isFalse();
        assertThat(o.valueBytes()).isEqualTo(64);
        assertThat(o.method()).isEqualTo("PUT");
        assertThat(o.timeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(o.json()).isFalse();
        assertThat(o.help()).isFalse();
        assertThat(o).isEqualTo(LoadOptions.defaults());
    }

    @Test
    void everyFlag() {
        LoadOptions o = LoadOptions.parse("--url", "http://db.example:9100/", "--ns", "bench", "--writers", "4",
                "--duration", "2m", "--warmup", "0s", "--paths", "10", "--hot", "--rate", "2500.5",
                "--value-bytes", "0", "--method", "patch", "--timeout", "750ms", "--json");
        assertThat(o.url()).isEqualTo(URI.create("http://db.example:9100"));
        assertThat(o.ns()).isEqualTo("bench");
        assertThat(o.writers()).isEqualTo(4);
        assertThat(o.duration()).isEqualTo(Duration.ofMinutes(2));
        assertThat(o.warmup()).isZero();
        assertThat(o.paths()).isEqualTo(10);
        assertThat(o.hot()).isTrue();
        assertThat(o.rate()).isEqualTo(2500.5);
        assertThat(o.openLoop()).isTrue();
        assertThat(o.valueBytes()).isZero();
        assertThat(o.method()).isEqualTo("PATCH");
        assertThat(o.timeout()).isEqualTo(Duration.ofMillis(750));
        assertThat(o.json()).isTrue();
    }

    @Test
    void equalsSignForm() {
        LoadOptions o = LoadOptions.parse("--writers=3", "--duration=1500ms", "--url=http://127.0.0.1:1234");
        assertThat(o.writers()).isEqualTo(3);
        assertThat(o.duration()).isEqualTo(Duration.ofMillis(1500));
        assertThat(o.url()).isEqualTo(URI.create("http://127.0.0.1:1234"));
    }

    @Test
    void durations() {
        assertThat(LoadOptions.parseDuration("--duration", "30s", false)).isEqualTo(Duration.ofSeconds(30));
        assertThat(LoadOptions.parseDuration("--duration", "250ms", false)).isEqualTo(Duration.ofMillis(250));
        assertThat(LoadOptions.parseDuration("--duration", "2m", false)).isEqualTo(Duration.ofMinutes(2));
        assertThat(LoadOptions.parseDuration("--duration", "10S", false)).isEqualTo(Duration.ofSeconds(10));
        assertThat(LoadOptions.parseDuration("--warmup", "0s", true)).isZero();
    }

    @Test
    void formatsDurations() {
        assertThat(LoadOptions.format(Duration.ofMillis(500))).isEqualTo("500ms");
        assertThat(LoadOptions.format(Duration.ofSeconds(30))).isEqualTo("30s");
        assertThat(LoadOptions.format(Duration.ofMinutes(2))).isEqualTo("2m");
        assertThat(LoadOptions.format(Duration.ofSeconds(90))).isEqualTo("1m30s");
        assertThat(LoadOptions.format(Duration.ZERO)).isEqualTo("0s");
    }

    @Test
    void badDurationsExplainTheFormat() {
        assertThatThrownBy(() -> LoadOptions.parse("--duration", "30"))
                .isInstanceOf(LoadOptions.UsageException.class)
                .hasMessage("flag --duration: '30' is not a duration; use a whole number with a unit, e.g. 30s, 500ms or 2m");
        assertThatThrownBy(() -> LoadOptions.parse("--warmup", "1.5s"))
                .hasMessageContaining("--warmup").hasMessageContaining("not a duration");
        assertThatThrownBy(() -> LoadOptions.parse("--duration", "5h"))
                .hasMessageContaining("not a duration");
        assertThatThrownBy(() -> LoadOptions.parse("--duration", "0s"))
                .hasMessage("flag --duration must be greater than zero (got '0s')");
    }

    @Test
    void unknownFlag() {
        assertThatThrownBy(() -> LoadOptions.parse("--writers", "2", "--bogus", "7"))
                .isInstanceOf(LoadOptions.UsageException.class)
                .hasMessage("unknown flag --bogus (see --help)");
        assertThatThrownBy(() -> LoadOptions.parse("writers=2"))
                .hasMessageContaining("unexpected argument 'writers=2'");
    }

    @Test
    void missingValue() {
        assertThatThrownBy(() -> LoadOptions.parse("--writers"))
                .hasMessage("flag --writers needs a value");
        assertThatThrownBy(() -> LoadOptions.parse("--ns", "--json"))
                .hasMessage("flag --ns needs a value");
    }

    @Test
    void badNumbers() {
        assertThatThrownBy(() -> LoadOptions.parse("--writers", "0"))
                .hasMessage("flag --writers must be at least 1 (got 0)");
        assertThatThrownBy(() -> LoadOptions.parse("--paths", "many"))
                .hasMessage("flag --paths: 'many' is not a whole number");
        assertThatThrownBy(() -> LoadOptions.parse("--value-bytes", "-1"))
                .hasMessage("flag --value-bytes must be at least 0 (got -1)");
        assertThatThrownBy(() -> LoadOptions.parse("--rate", "-5"))
                .hasMessageContaining("--rate must be 0 (closed loop) or a positive writes/s");
        assertThatThrownBy(() -> LoadOptions.parse("--rate", "fast"))
                .hasMessageContaining("not a number");
    }

    @Test
    void badUrlAndMethod() {
        assertThatThrownBy(() -> LoadOptions.parse("--url", "localhost:9000"))
                .hasMessageContaining("must look like http://HOST:PORT");
        assertThatThrownBy(() -> LoadOptions.parse("--url", "http://localhost:9000/?ns=x"))
                .hasMessageContaining("must not contain a query");
        assertThatThrownBy(() -> LoadOptions.parse("--method", "POST"))
                .hasMessage("flag --method must be PUT or PATCH (got 'POST')");
    }

    @Test
    void booleanFlagsTakeNoValueAndFlagsAreNotRepeated() {
        assertThatThrownBy(() -> LoadOptions.parse("--hot=true"))
                .hasMessageContaining("flag --hot takes no value");
        assertThatThrownBy(() -> LoadOptions.parse("--writers", "2", "--writers", "3"))
                .hasMessage("flag --writers given more than once");
    }

    @Test
    void help() {
        assertThat(LoadOptions.parse("--help").help()).isTrue();
        assertThat(LoadOptions.parse("-h").help()).isTrue();
        assertThat(LoadOptions.USAGE).contains("--writers", "--duration", "--rate", "--hot", "--json");
    }
}
