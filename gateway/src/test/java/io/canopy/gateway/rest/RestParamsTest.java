package io.canopy.gateway.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.canopy.core.error.CanopyException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RestParamsTest {

  private static RestParams parse(Map<String, String> query) {
    return RestParams.parse(query::get);
  }

  @Test
  void defaults() {
    assertThat(parse(Map.of())).isEqualTo(RestParams.DEFAULTS);
  }

  @Test
  void printFormatAndShallow() {
    RestParams p = parse(Map.of("print", "pretty", "format", "export", "shallow", "true", "auth", "ignored"));
    assertThat(p.print()).isEqualTo(RestParams.Print.PRETTY);
    assertThat(p.export()).isTrue();
    assertThat(p.shallow()).isTrue();
    assertThat(parse(Map.of("print", "silent")).print()).isEqualTo(RestParams.Print.SILENT);
  }

  @Test
  void badValuesAre400() {
    assertThatThrownBy(() -> parse(Map.of("print", "loud"))).isInstanceOf(CanopyException.class)
        .hasMessageContaining("print");
    assertThatThrownBy(() -> parse(Map.of("format", "xml"))).hasMessageContaining("export");
    assertThatThrownBy(() -> parse(Map.of("shallow", "yes"))).hasMessageContaining("shallow");
  }

  @Test
  void filtersNeedOrderByLikeFirebase() {
    assertThatThrownBy(() -> parse(Map.of("limitToFirst", "2")))
        .isInstanceOfSatisfying(CanopyException.class, e -> assertThat(e.code().httpStatus()).isEqualTo(400))
        .hasMessage("orderBy must be defined when other query parameters are defined");
  }

  @Test
  void queriesAreRefusedRatherThanIgnored() {
    assertThatThrownBy(() -> parse(Map.of("orderBy", "\"$key\"", "limitToFirst", "2")))
        .hasMessageContaining("not supported");
  }
}
