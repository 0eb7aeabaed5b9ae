package io.canopy.gateway.rest;

import static org.assertj.core.api.Assertions.assertThat;

import io.canopy.core.error.CanopyException;
import io.canopy.core.error.ErrorCode;
import io.canopy.core.log.ChangeRecord;
import io.canopy.core.log.Origin;
import io.canopy.core.json.TreeJson;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RestErrorTest {

  @ParameterizedTest
  @CsvSource({
      "INVALID_PATH, 400", "INVALID_DATA, 400", "INVALID_QUERY, 400", "PAYLOAD_TOO_LARGE, 413",
      "PERMISSION_DENIED, 401", "DATASTALE, 412", "UNAVAILABLE, 503", "TIMEOUT, 503", "INTERNAL, 500"})
  void catalogueCodesKeepTheirStatusAndMessage(ErrorCode code, int status) {
    RestError e = RestError.of(new CanopyException(code, "why"));
    assertThat(e.status()).isEqualTo(status);
    assertThat(e.message()).isEqualTo("why");
    assertThat(e.unexpected()).isFalse();
  }

  @Test
  void badJsonGivesFirebasesMessage() {
    RestError e = RestError.of(catchThrowable(() -> TreeJson.parse("{nope")));
    assertThat(e.status()).isEqualTo(400);
    assertThat(e.message()).startsWith("Invalid data; couldn't parse JSON object, array, or value.");
  }

  @Test
  void wrappersAreUnwrapped() {
    CanopyException cause = new CanopyException(ErrorCode.UNAVAILABLE, "kafka down");
    assertThat(RestError.of(new CompletionException(cause)).status()).isEqualTo(503);
    assertThat(RestError.of(new ExecutionException(new CompletionException(cause))).message()).isEqualTo("kafka down");
  }

  @Test
  void unexpectedExceptionsAreA500RevealingNothing() {
    RestError e = RestError.of(new NullPointerException("secret internals"));
    assertThat(e.status()).isEqualTo(500);
    assertThat(e.message()).isEqualTo("Internal server error");
    assertThat(e.unexpected()).isTrue();
  }

  @Test
  void rejectedVerdictsUseTheirCodeAndAStandardMessageWhenTheyHaveNone() {
    ChangeRecord denied = ChangeRecord.rejected("ns", 0, 1, 2, Origin.NONE, ErrorCode.PERMISSION_DENIED, null);
    RestError e = RestError.of(denied);
    assertThat(e.status()).isEqualTo(401);
    assertThat(e.message()).isEqualTo("Permission denied");
  }

  @Test
  void errorBodyIsFirebasesShape() {
    assertThat(new String(JsonReplies.error("Invalid \"path\""), StandardCharsets.UTF_8))
        .isEqualTo("{\"error\":\"Invalid \\\"path\\\"\"}");
  }

  private static Throwable catchThrowable(Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      return e;
    }
    throw new AssertionError("expected an exception");
  }

  @Test
  void storeAndKafkaFailuresAre503NotBare500s() {
    RestError store = RestError.of(new CompletionException(new io.canopy.store.StoreException("disk gone")));
    assertThat(store.status()).isEqualTo(503);
    assertThat(store.message()).doesNotContain("disk").contains("temporarily unavailable");
    assertThat(store.unexpected()).isTrue(); // logged
    assertThat(RestError.of(new org.apache.kafka.common.errors.TimeoutException("t")).status()).isEqualTo(503);
    assertThat(RestError.of(new IllegalStateException("bug")).status()).isEqualTo(500);
  }
}
