package io.canopy.gateway.ns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.canopy.core.error.CanopyException;
import io.canopy.core.error.ErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class NamespaceResolverTest {
  private final NamespaceResolver resolver = new NamespaceResolver("default");

  @Test
  void nsParameterWinsOverHost() {
    assertThat(resolver.resolve("demo", "other.example.com")).isEqualTo("demo");
  }

  @ParameterizedTest
  @CsvSource({
      "mydb.example.com, mydb",
      "mydb.example.com:9000, mydb",
      "MyDb.Example.com, mydb",
      "demo.localhost:9000, demo",
      "shop-1.firebaseio.com., shop-1",
  })
  void firstLabelOfAHostNameIsTheNamespace(String host, String expected) {
    assertThat(resolver.resolve(null, host)).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"localhost", "localhost:9000", "127.0.0.1", "127.0.0.1:9000", "10.1.2.3",
      "[::1]", "[::1]:9000", "gateway:9000", "", "  "})
  void hostsWithoutADatabaseNameUseTheDefault(String host) {
    assertThat(resolver.resolve(null, host)).isEqualTo("default");
  }

  @Test
  void noHostUsesTheDefault() {
    assertThat(resolver.resolve(null, null)).isEqualTo("default");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "UPPER", "under_score", "dot.ted", "x/y", "toolong-toolong-toolong-toolong-toolong-toolong-toolong"})
  void invalidNsParameterIs400(String ns) {
    assertThatThrownBy(() -> resolver.resolve(ns, null))
        .isInstanceOfSatisfying(CanopyException.class, e -> assertThat(e.code().httpStatus()).isEqualTo(400))
        .hasMessageContaining("Invalid namespace");
  }

  @Test
  void invalidHostLabelIs400() {
    assertThatThrownBy(() -> resolver.resolve(null, "my_db.example.com"))
        .isInstanceOfSatisfying(CanopyException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PATH))
        .hasMessageContaining("host name");
  }

  @Test
  void fiftyCharactersAreAllowed() {
    // Firebase's "<projectId>-default-rtdb" names reach 43 characters.
    String ns = "a".repeat(50);
    assertThat(NamespaceResolver.isValid(ns)).isTrue();
    assertThat(NamespaceResolver.isValid(ns + "a")).isFalse();
  }

  @Test
  void defaultMustBeValid() {
    assertThatThrownBy(() -> new NamespaceResolver("Bad")).isInstanceOf(IllegalArgumentException.class);
  }
}
