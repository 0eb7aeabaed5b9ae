package io.canopy.gateway.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.canopy.core.error.CanopyException;
import io.canopy.core.path.Path;
import io.canopy.gateway.ns.NamespaceResolver;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class RestRequestTest {
  private final NamespaceResolver namespaces = new NamespaceResolver("default");

  private RestRequest parse(RestMethod method, String path, Map<String, String> query, Map<String, String> headers) {
    Map<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    h.putAll(headers);
    return RestRequest.parse(method, path, query::get, h::get, namespaces);
  }

  @Test
  void plainGet() {
    RestRequest r = parse(RestMethod.GET, "/a/b.json", Map.of(), Map.of("Host", "localhost:9000"));
    assertThat(r.namespace()).isEqualTo("default");
    assertThat((Object) r.path()).isEqualTo(Path.of("a", "b"));
    assertThat(r.wantsETag()).isFalse();
    assertThat(r.expectedHash()).isNull();
  }

  @Test
  void namespaceFromQueryThenHost() {
    assertThat(parse(RestMethod.GET, "/.json", Map.of("ns", "a"), Map.of("Host", "b.example.com")).namespace())
        .isEqualTo("a");
    assertThat(parse(RestMethod.GET, "/.json", Map.of(), Map.of("host", "b.example.com")).namespace())
        .isEqualTo("b");
  }

  @Test
  void etagHeaders() {
    RestRequest get = parse(RestMethod.GET, "/a.json", Map.of(), Map.of("X-Firebase-ETag", "true"));
    assertThat(get.wantsETag()).isTrue();
    RestRequest put = parse(RestMethod.PUT, "/a.json", Map.of(), Map.of("if-match", "\"abc=\""));
    assertThat(put.expectedHash()).isEqualTo("abc=");
    RestRequest create = parse(RestMethod.DELETE, "/a.json", Map.of(), Map.of("If-Match", "null_etag"));
    assertThat(create.expectedHash()).isEmpty();
  }

  @Test
  void ifMatchOnlyOnPutAndDelete() {
    assertThatThrownBy(() -> parse(RestMethod.PATCH, "/a.json", Map.of(), Map.of("if-match", "x")))
        .isInstanceOf(CanopyException.class).hasMessageContaining("if-match");
  }

  @Test
  void noPushOrUpdateUnderAPriority() {
    assertThatThrownBy(() -> parse(RestMethod.POST, "/a/.priority.json", Map.of(), Map.of()))
        .isInstanceOf(CanopyException.class).hasMessageStartingWith("Invalid path");
  }

  @Test
  void shallowOnlyOnGet() {
    assertThatThrownBy(() -> parse(RestMethod.PUT, "/a.json", Map.of("shallow", "true"), Map.of()))
        .isInstanceOf(CanopyException.class);
  }

  @Test
  void badNamespaceIs400() {
    assertThatThrownBy(() -> parse(RestMethod.GET, "/a.json", Map.of("ns", "Bad!"), Map.of()))
        .isInstanceOfSatisfying(CanopyException.class, e -> assertThat(e.code().httpStatus()).isEqualTo(400));
  }

  @Test
  void eventStreamsAreGetsAcceptingTextEventStream() {
    assertThat(parse(RestMethod.GET, "/a.json", Map.of(), Map.of("Accept", "text/event-stream")).stream()).isTrue();
    assertThat(parse(RestMethod.GET, "/a.json", Map.of(), Map.of("accept", "Text/Event-Stream, */*")).stream())
        .isTrue();
    assertThat(parse(RestMethod.GET, "/a.json", Map.of(), Map.of("Accept", "application/json")).stream()).isFalse();
    assertThat(parse(RestMethod.PUT, "/a.json", Map.of(), Map.of("Accept", "text/event-stream")).stream())
        .isFalse();
    assertThatThrownBy(() -> parse(RestMethod.GET, "/a.json", Map.of("shallow", "true"),
        Map.of("Accept", "text/event-stream"))).isInstanceOf(CanopyException.class).hasMessageContaining("shallow");
    assertThatThrownBy(() -> parse(RestMethod.GET, "/a/.priority.json", Map.of(),
        Map.of("Accept", "text/event-stream")))
        .isInstanceOf(CanopyException.class).hasMessageStartingWith("Invalid path");
  }

  @Test
  void credentialsAreParsedAndMalformedOnesAre401() {
    assertThat(parse(RestMethod.GET, "/a.json", Map.of("auth", "owner"), Map.of()).credential().kind())
        .isEqualTo(Credential.Kind.SECRET);
    assertThat(parse(RestMethod.GET, "/a.json", Map.of(), Map.of("Authorization", "Bearer t")).credential().kind())
        .isEqualTo(Credential.Kind.ACCESS_TOKEN);
    assertThat(parse(RestMethod.GET, "/a.json", Map.of(), Map.of()).credential()).isEqualTo(Credential.NONE);
    assertThatThrownBy(() -> parse(RestMethod.GET, "/a.json", Map.of("auth", "x y"), Map.of()))
        .isInstanceOfSatisfying(CanopyException.class, e -> assertThat(e.code().httpStatus()).isEqualTo(401));
  }

  @Test
  void queriesOnlyOnGet() {
    assertThat(parse(RestMethod.GET, "/a.json", Map.of("orderBy", "\"$key\""), Map.of()).params().ordered())
        .isTrue();
    assertThatThrownBy(() -> parse(RestMethod.PUT, "/a.json", Map.of("orderBy", "\"$key\""), Map.of()))
        .isInstanceOf(CanopyException.class).hasMessageContaining("only supported on GET");
  }

  @Test
  void writeSizeLimitLowersTheBodyLimit() {
    RestRequest tiny = parse(RestMethod.PUT, "/a.json", Map.of("writeSizeLimit", "tiny"), Map.of());
    assertThat(tiny.bodyLimit(256L << 20)).isEqualTo(1L << 20);
    assertThat(parse(RestMethod.PUT, "/a.json", Map.of(), Map.of()).bodyLimit(256L << 20)).isEqualTo(256L << 20);
    assertThat(parse(RestMethod.PUT, "/a.json", Map.of("writeSizeLimit", "unlimited"), Map.of()).bodyLimit(99))
        .isEqualTo(99);
  }
}
