package io.canopy.gateway.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.canopy.core.error.CanopyException;
import io.canopy.core.path.KeyOrder;
import io.canopy.core.query.QueryIndex;
import io.canopy.core.query.QuerySpec;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RestParamsTest {

  private static RestParams parse(String... pairs) {
    Map<String, String> m = new HashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      m.put(pairs[i], pairs[i + 1]);
    }
    return RestParams.parse(m::get);
  }

  private static void assert400(Runnable r, String message) {
    assertThatThrownBy(r::run)
        .isInstanceOfSatisfying(CanopyException.class, e -> assertThat(e.code().httpStatus()).isEqualTo(400))
        .hasMessageContaining(message);
  }

  @Test
  void defaults() {
    assertThat(parse()).isEqualTo(RestParams.DEFAULTS);
    assertThat(parse("auth", "ignored-here", "ns", "x", "unknown", "1")).isEqualTo(RestParams.DEFAULTS);
  }

  @Test
  void printFormatAndShallow() {
    RestParams p = parse("print", "pretty", "format", "export", "shallow", "true");
    assertThat(p.print()).isEqualTo(RestParams.Print.PRETTY);
    assertThat(p.export()).isTrue();
    assertThat(p.shallow()).isTrue();
    assertThat(parse("print", "silent").print()).isEqualTo(RestParams.Print.SILENT);
  }

  @Test
  void badValuesAre400() {
    assert400(() -> parse("print", "loud"), "print");
    assert400(() -> parse("format", "xml"), "export");
    assert400(() -> parse("shallow", "yes"), "shallow");
  }

  @Test
  void filtersNeedOrderByLikeFirebase() {
    for (String filter : RestParams.FILTERS) {
      assertThatThrownBy(() -> parse(filter, "2"))
          .isInstanceOfSatisfying(CanopyException.class, e -> assertThat(e.code().httpStatus()).isEqualTo(400))
          .hasMessage("orderBy must be defined when other query parameters are defined");
    }
  }

  @Test
  void queriesParseWithCoreQuerySpec() {
    RestParams p = parse("orderBy", "\"score\"", "startAt", "3", "limitToFirst", "2");
    assertThat(p.ordered()).isTrue();
    assertThat(p.query()).isEqualTo(QuerySpec.fromRest(Map.of("orderBy", "\"score\"", "startAt", "3",
        "limitToFirst", "2")));
    assertThat(parse("orderBy", "\"$key\"").query().index()).isEqualTo(QueryIndex.KEY);
    assertThat(parse("orderBy", "\"$value\"").query().index()).isEqualTo(QueryIndex.VALUE);
    assertThat(parse("orderBy", "\"$priority\"").query().index()).isEqualTo(QueryIndex.PRIORITY);
    assert400(() -> parse("orderBy", "score"), "orderBy must be a valid JSON encoded path");
    assert400(() -> parse("orderBy", "\"$key\"", "startAt", "1"), "Provided key index type is invalid, must be string");
    assert400(() -> parse("orderBy", "\"a\"", "limitToFirst", "0"), "limitToFirst must be a positive integer");
    assert400(() -> parse("orderBy", "\"a\"", "limitToFirst", "1", "limitToLast", "1"), "limitToFirst and limitToLast");
  }

  @Test
  void exclusiveBoundsMeanAfterAndBefore() {
    QuerySpec q = parse("orderBy", "\"score\"", "startAfter", "3", "endBefore", "9").query();
    assertThat(q.start()).isEqualTo(new QuerySpec.Bound(3.0, KeyOrder.MAX_NAME, false));
    assertThat(q.end()).isEqualTo(new QuerySpec.Bound(9.0, KeyOrder.MIN_NAME, false));
    QuerySpec byKey = parse("orderBy", "\"$key\"", "startAfter", "\"b\"").query();
    assertThat(byKey.start().inclusive()).isFalse();
    assert400(() -> parse("orderBy", "\"a\"", "startAfter", "1", "startAt", "1"), "startAfter");
    assert400(() -> parse("orderBy", "\"a\"", "endBefore", "1", "equalTo", "1"), "endBefore");
    assert400(() -> parse("orderBy", "\"a\"", "startAfter", "{}"), "JSON primitive");
  }

  @Test
  void shallowCannotBeMixedWithQueries() {
    assert400(() -> parse("shallow", "true", "orderBy", "\"$key\""), RestParams.SHALLOW_WITH_QUERY);
    assert400(() -> parse("shallow", "true", "limitToFirst", "1"), RestParams.SHALLOW_WITH_QUERY);
    assertThat(parse("shallow", "true", "print", "pretty", "auth", "x").shallow()).isTrue();
  }

  @Test
  void callbackMustBeAFunctionName() {
    assertThat(parse("callback", "handle").callback()).isEqualTo("handle");
    assertThat(parse("callback", "app.cb_1$").callback()).isEqualTo("app.cb_1$");
    assert400(() -> parse("callback", "alert(1)"), "callback");
    assert400(() -> parse("callback", "1abc"), "callback");
    assert400(() -> parse("callback", ""), "callback");
    assert400(() -> parse("callback", "a".repeat(200)), "callback");
  }

  @Test
  void downloadNamesAFile() {
    assertThat(parse("download", "backup.json").download()).isEqualTo("backup.json");
    assert400(() -> parse("download", ""), "download");
    assert400(() -> parse("download", "a\nb"), "download");
    assert400(() -> parse("download", "../etc/passwd"), "download");
  }

  @Test
  void timeoutsInMsSecondsOrMinutesUpTo15Minutes() {
    assertThat(parse("timeout", "3ms").timeoutMs()).isEqualTo(3);
    assertThat(parse("timeout", "3s").timeoutMs()).isEqualTo(3000);
    assertThat(parse("timeout", "3min").timeoutMs()).isEqualTo(180_000);
    assertThat(parse("timeout", "15min").timeoutMs()).isEqualTo(RestParams.MAX_TIMEOUT_MS);
    assert400(() -> parse("timeout", "0s"), "positive");
    assert400(() -> parse("timeout", "-1s"), "timeout");
    assert400(() -> parse("timeout", "16min"), "maximum is 15min");
    assert400(() -> parse("timeout", "901s"), "maximum is 15min");
    assert400(() -> parse("timeout", "3h"), "timeout");
    assert400(() -> parse("timeout", "3"), "timeout");
  }

  @Test
  void writeSizeLimits() {
    assertThat(parse("writeSizeLimit", "tiny").writeSizeLimit()).isEqualTo(WriteSizeLimit.TINY);
    assertThat(parse("writeSizeLimit", "unlimited").writeSizeLimit()).isEqualTo(WriteSizeLimit.UNLIMITED);
    assert400(() -> parse("writeSizeLimit", "huge"), "writeSizeLimit");
    assert400(() -> parse("writeSizeLimit", "TINY"), "writeSizeLimit");
  }
}
