package io.canopy.gateway.rest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RepliesTest {
  @Test
  void contentDispositionHasAnAsciiFallbackAndTheExactName() {
    assertThat(Replies.contentDisposition("backup.json"))
        .isEqualTo("attachment; filename=\"backup.json\"; filename*=UTF-8''backup.json");
    assertThat(Replies.contentDisposition("données \"x\".json"))
        .isEqualTo("attachment; filename=\"donn_es _x_.json\"; filename*=UTF-8''donn%C3%A9es%20%22x%22.json");
  }
}
