package io.canopy.acceptance.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Plain HTTP against the server's REST API (Firebase REST: {@code /<path>.json?ns=NAME}). */
public final class Rest {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private final String base;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

  public Rest(String base) {
    this.base = base;
  }

  public int status(String pathAndQuery) {
    return send(HttpRequest.newBuilder(URI.create(base + pathAndQuery)).timeout(TIMEOUT).GET().build()).statusCode();
  }

  /** The JSON value at {@code path} of namespace {@code ns} ({@code NullNode} when absent). */
  public JsonNode get(String ns, String path) {
    HttpResponse<String> r = send(HttpRequest.newBuilder(url(ns, path)).timeout(TIMEOUT).GET().build());
    if (r.statusCode() != 200) {
      throw new AssertionError("GET " + url(ns, path) + " -> " + r.statusCode() + " " + r.body());
    }
    return Json.parse(r.body());
  }

  public JsonNode put(String ns, String path, String json) {
    HttpResponse<String> r = send(HttpRequest.newBuilder(url(ns, path)).timeout(TIMEOUT)
        .PUT(HttpRequest.BodyPublishers.ofString(json)).build());
    if (r.statusCode() != 200) {
      throw new AssertionError("PUT " + url(ns, path) + " -> " + r.statusCode() + " " + r.body());
    }
    return Json.parse(r.body());
  }

  private URI url(String ns, String path) {
    String p = path.startsWith("/") ? path : "/" + path;
    if (p.length() > 1 && p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return URI.create(base + p + ".json?ns=" + ns); // the root is /.json
  }

  private HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
