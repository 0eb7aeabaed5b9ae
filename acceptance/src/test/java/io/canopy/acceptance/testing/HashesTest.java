package io.canopy.acceptance.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The raw client's hash against the vectors of PROTOCOL.md §6.3 (taken from the SDKs' own tests). */
class HashesTest {
  @Test
  void leaves() {
    assertThat(Hashes.of(Json.parse("\"hello\""))).isEqualTo("z6sRbrNLwbHX5fdjpvsTtWgXUFc=");
    assertThat(Hashes.of(Json.parse("1"))).isEqualTo("YPVfR2bXt/lcDjiQZ8pOkAd3qkQ=");
    assertThat(Hashes.of(Json.parse("1.5"))).isEqualTo("4MftviR9Z/2MQCMkjh2RNbvlLJc=");
    assertThat(Hashes.of(Json.parse("true"))).isEqualTo("E5z61QM0lN/U2WsOnusszCTkR8M=");
    assertThat(Hashes.of(Json.parse("null"))).isEmpty();
    assertThat(Hashes.of(Json.parse("{}"))).isEmpty();
  }

  @Test
  void objectsInFirebaseKeyOrder() {
    assertThat(Hashes.of(Json.parse("{\"b\":2,\"a\":true,\"10\":\"x\",\"9\":\"y\"}")))
        .isEqualTo("CP7y2DtaU1LNKKNfggLhBsG5XI4=");
    assertThat(Hashes.of(Json.parse("{\"count\":0}"))).isEqualTo("cl67ch5UmlAYLMHpo01qE7xefBY=");
    assertThat(Hashes.of(Json.parse("{\"count\":1}"))).isEqualTo("4Vp/3mz7MQ0p8KcX9PIGz7sHIj0=");
    assertThat(Hashes.of(Json.parse("[\"a\",\"b\"]"))).isEqualTo("9pd8bwzSKh8DgCCY40kglZj3SLU=");
  }
}
