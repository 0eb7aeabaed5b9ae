package io.canopy.gateway.rest;

import static org.assertj.core.api.Assertions.assertThat;

import io.canopy.core.hash.NodeHash;
import io.canopy.core.json.TreeJson;
import io.canopy.core.tree.Node;
import org.junit.jupiter.api.Test;

class ETagsTest {

  @Test
  void emptyValueHasTheNullETag() {
    assertThat(ETags.of(Node.empty())).isEqualTo("null_etag");
    assertThat(ETags.expectedHash("null_etag")).isEmpty();
  }

  @Test
  void etagIsTheNodeHashAndRoundTripsThroughIfMatch() {
    Node value = TreeJson.parse("{\"a\":1}");
    String etag = ETags.of(value);
    assertThat(etag).isEqualTo(NodeHash.hash(value)).isNotEmpty();
    assertThat(ETags.expectedHash(etag)).isEqualTo(etag);
    assertThat(ETags.expectedHash("\"" + etag + "\"")).isEqualTo(etag);
    assertThat(ETags.expectedHash("W/\"" + etag + "\"")).isEqualTo(etag);
  }

  @Test
  void ifNoneMatch() {
    assertThat(ETags.matchesNoneMatch(null, "x")).isFalse();
    assertThat(ETags.matchesNoneMatch("\"y\", \"x\"", "x")).isTrue();
    assertThat(ETags.matchesNoneMatch("*", "x")).isTrue();
    assertThat(ETags.matchesNoneMatch("y", "x")).isFalse();
  }

  @Test
  void requestHeader() {
    assertThat(ETags.requested("true")).isTrue();
    assertThat(ETags.requested("TRUE ")).isTrue();
    assertThat(ETags.requested("false")).isFalse();
    assertThat(ETags.requested(null)).isFalse();
  }
}
