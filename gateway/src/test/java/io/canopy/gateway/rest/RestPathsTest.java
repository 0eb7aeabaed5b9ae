package io.canopy.gateway.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.canopy.core.error.CanopyException;
import io.canopy.core.error.ErrorCode;
import io.canopy.core.path.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RestPathsTest {

  @Test
  void rootAndNestedPaths() {
    assertThat((Object) RestPaths.toTreePath("/.json")).isEqualTo(Path.ROOT);
    assertThat((Object) RestPaths.toTreePath("/users/ada.json")).isEqualTo(Path.of("users", "ada"));
    assertThat((Object) RestPaths.toTreePath("/users/ada/.json")).isEqualTo(Path.of("users", "ada"));
  }

  @Test
  void percentEncodingIsDecodedAsUtf8AndPlusStaysAPlus() {
    assertThat((Object) RestPaths.toTreePath("/a%20b/caf%C3%A9/x+y.json")).isEqualTo(Path.of("a b", "café", "x+y"));
  }

  @Test
  void priorityPathIsKept() {
    assertThat(RestPaths.toTreePath("/a/.priority.json").isPriorityPath()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"/a$b.json", "/a[0].json", "/a#.json", "/.settings/rules.json", "/a%2.json", "/a%zz.json",
      "/a%FF.json", "/a%2Eb.json"})
  void invalidPathsAre400(String raw) {
    assertThatThrownBy(() -> RestPaths.toTreePath(raw))
        .isInstanceOfSatisfying(CanopyException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PATH))
        .hasMessageStartingWith("Invalid path");
  }

  @Test
  void onlyJsonPathsAreDataPaths() {
    assertThat(RestPaths.isDataPath("/a.json")).isTrue();
    assertThat(RestPaths.isDataPath("/.json")).isTrue();
    assertThat(RestPaths.isDataPath("/a")).isFalse();
    assertThat(RestPaths.isDataPath("/favicon.ico")).isFalse();
    assertThat(RestPaths.isDataPath("/health")).isFalse();
  }
}
