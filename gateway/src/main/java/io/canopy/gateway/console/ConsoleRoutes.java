package io.canopy.gateway.console;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Serves the console's files and {@code /sdk/canopy.js} from classpath resources, read once when mounted (the
 * gateway turns off Vert.x's classpath resolving, so {@code StaticHandler} cannot serve them). Each file gets its
 * Content-Type, a strong ETag (answering {@code If-None-Match} with 304) and {@code Cache-Control: no-cache}, so a
 * browser revalidates and sees a new version after an upgrade without downloading unchanged files again. Only
 * {@code GET} and {@code HEAD} of the known paths are answered; every other request goes on to the next route
 * (so {@code /x.json} still reaches REST, and an unknown {@code /console/...} gets REST's 404).
 */
public final class ConsoleRoutes {
  /** URL path → classpath resource. The console page is served at {@code /} and under its own name. */
  private static final Map<String, String> FILES = Map.of(
      "/", "console/index.html",
      "/console/", "console/index.html",
      "/console/index.html", "console/index.html",
      "/console/console.js", "console/console.js",
      "/console/console.css", "console/console.css",
      "/sdk/canopy.js", "sdk/canopy.js");

  private final Map<String, StaticFile> files;

  private ConsoleRoutes(Map<String, StaticFile> files) {
    this.files = files;
  }

  /**
   * Adds the routes; mount them before the catch-all data route.
   *
   * @throws IllegalStateException if a console resource is missing from the classpath (a broken build)
   */
  public static void mount(Router router) {
    ConsoleRoutes routes = load();
    router.route().handler(routes::handle);
  }

  static ConsoleRoutes load() {
    Map<String, StaticFile> loaded = new LinkedHashMap<>();
    Map<String, StaticFile> byResource = new LinkedHashMap<>();
    FILES.forEach((path, resource) -> loaded.put(path, byResource.computeIfAbsent(resource, StaticFile::read)));
    return new ConsoleRoutes(Map.copyOf(loaded));
  }

  private void handle(RoutingContext ctx) {
    HttpMethod method = ctx.request().method();
    StaticFile file = method == HttpMethod.GET || method == HttpMethod.HEAD ? files.get(ctx.request().path()) : null;
    if (file == null) {
      ctx.next();
      return;
    }
    HttpServerResponse response = ctx.response()
        .putHeader("Content-Type", file.contentType())
        .putHeader("Cache-Control", "no-cache")
        .putHeader("ETag", file.etag())
        .putHeader("X-Content-Type-Options", "nosniff");
    String ifNoneMatch = ctx.request().getHeader("If-None-Match");
    if (ifNoneMatch != null && ifNoneMatch.contains(file.etag())) {
      response.setStatusCode(304).end();
    } else if (method == HttpMethod.HEAD) {
      response.putHeader("Content-Length", String.valueOf(file.body().length())).end();
    } else {
      response.end(file.body());
    }
  }

  /** One file's bytes, type and validator. */
  record StaticFile(Buffer body, String contentType, String etag) {
    static StaticFile read(String resource) {
      byte[] bytes;
      try (InputStream in = ConsoleRoutes.class.getClassLoader().getResourceAsStream(resource)) {
        if (in == null) {
          throw new IllegalStateException("console: resource " + resource + " is missing from the classpath");
        }
        bytes = in.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException("console: cannot read resource " + resource, e);
      }
      return new StaticFile(Buffer.buffer(bytes), contentType(resource), etag(bytes));
    }

    private static String contentType(String resource) {
      if (resource.endsWith(".html")) {
        return "text/html; charset=utf-8";
      } else if (resource.endsWith(".js")) {
        return "text/javascript; charset=utf-8";
      } else if (resource.endsWith(".css")) {
        return "text/css; charset=utf-8";
      }
      return "application/octet-stream";
    }

    private static String etag(byte[] bytes) {
      try {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
        return "\"" + Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 22) + "\"";
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("SHA-256 is always available", e);
      }
    }
  }
}
