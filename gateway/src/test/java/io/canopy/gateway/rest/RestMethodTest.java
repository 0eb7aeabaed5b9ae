package io.canopy.gateway.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.canopy.core.error.CanopyException;
import org.junit.jupiter.api.Test;

class RestMethodTest {

  @Test
  void httpMethodsMapToVerbs() {
    assertThat(RestMethod.effective("GET", null)).isEqualTo(RestMethod.GET);
    assertThat(RestMethod.effective("DELETE", null)).isEqualTo(RestMethod.DELETE);
    assertThat(RestMethod.effective("HEAD", null)).isNull();
    assertThat(RestMethod.effective("OPTIONS", null)).isNull();
  }

  @Test
  void overrideAppliesToPostOnly() {
    assertThat(RestMethod.effective("POST", "patch")).isEqualTo(RestMethod.PATCH);
    assertThat(RestMethod.effective("POST", " DELETE ")).isEqualTo(RestMethod.DELETE);
    assertThat(RestMethod.effective("POST", "")).isEqualTo(RestMethod.POST);
    assertThat(RestMethod.effective("PUT", "DELETE")).isEqualTo(RestMethod.PUT);
  }

  @Test
  void unknownOverrideIs400() {
    assertThatThrownBy(() -> RestMethod.effective("POST", "TRACE"))
        .isInstanceOfSatisfying(CanopyException.class, e -> assertThat(e.code().httpStatus()).isEqualTo(400))
        .hasMessageContaining("X-HTTP-Method-Override");
  }
}
