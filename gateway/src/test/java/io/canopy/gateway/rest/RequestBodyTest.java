package io.canopy.gateway.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonParser;
import io.canopy.core.json.TreeJson;
import io.canopy.core.tree.Node;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RequestBodyTest {

  private static Node parse(RequestBody body) throws Exception {
    try (JsonParser p = body.parser()) {
      return TreeJson.parseValue(p, p.nextToken());
    }
  }

  /** A JSON document of about {@code n} bytes with multi-byte characters, to cross block boundaries mid-character. */
  private static String document(int entries) {
    StringBuilder sb = new StringBuilder("{");
    for (int i = 0; i < entries; i++) {
      sb.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":\"välüe-€-").append(i).append("\"");
    }
    return sb.append('}').toString();
  }

  @Test
  void chunksAcrossBlocksParseLikeTheWholeDocument() throws Exception {
    String json = document(120_000); // > 2 MiB: three blocks
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    assertThat(bytes.length).isGreaterThan(2 * RequestBody.BLOCK_BYTES);
    for (long declared : new long[] {-1, bytes.length}) {
      RequestBody body = new RequestBody(declared);
      int chunk = 7919; // odd chunk size: splits characters and blocks anywhere
      for (int off = 0; off < bytes.length; off += chunk) {
        int n = Math.min(chunk, bytes.length - off);
        body.append(Buffer.buffer().appendBytes(bytes, off, n));
      }
      assertThat(body.length()).isEqualTo(bytes.length);
      assertThat(parse(body)).isEqualTo(TreeJson.parse(json));
    }
  }

  @Test
  void smallAndEmptyBodies() throws Exception {
    assertThat(parse(RequestBody.of("{\"a\":1}"))).isEqualTo(TreeJson.parse("{\"a\":1}"));
    try (JsonParser p = RequestBody.empty().parser()) {
      assertThat(p.nextToken()).isNull();
    }
  }
}
