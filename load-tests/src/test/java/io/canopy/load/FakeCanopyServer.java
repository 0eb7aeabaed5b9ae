package io.canopy.load;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A tiny in-process stand-in for the Canopy REST surface, on the JDK's HttpServer:
 * {@code GET /health} → 200; {@code PUT|PATCH /...json} → {@link #writeStatus} with the body
 * echoed; {@code GET /.metrics.json} → {@link #metricsJson} or 404.
 */
final class FakeCanopyServer implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();

    final AtomicLong writes = new AtomicLong();
    final AtomicLong metricsRequests = new AtomicLong();
    final Set<String> pathsWritten = ConcurrentHashMap.newKeySet();
    final Set<String> queries = ConcurrentHashMap.newKeySet();
    final Set<String> methods = ConcurrentHashMap.newKeySet();
    final List<String> sampleBodies = new CopyOnWriteArrayList<>();
    final Map<String, AtomicLong> contentTypes = new ConcurrentHashMap<>();

    volatile int writeStatus = 200;
    volatile String metricsJson;

    FakeCanopyServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            if (method.equals("GET") && path.equals("/health")) {
                respond(exchange, 200, "ok".getBytes(StandardCharsets.UTF_8));
            } else if (method.equals("GET") && path.equals("/.metrics.json")) {
                metricsRequests.incrementAndGet();
                String json = metricsJson;
                if (json == null) {
                    respond(exchange, 404, "{\"error\":\"not found\"}".getBytes(StandardCharsets.UTF_8));
                } else {
                    respond(exchange, 200, json.getBytes(StandardCharsets.UTF_8));
                }
            } else if ((method.equals("PUT") || method.equals("PATCH")) && path.endsWith(".json")) {
                writes.incrementAndGet();
                methods.add(method);
                pathsWritten.add(path);
                queries.add(String.valueOf(exchange.getRequestURI().getRawQuery()));
                contentTypes.computeIfAbsent(String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type")),
                        k -> new AtomicLong()).incrementAndGet();
                if (sampleBodies.size() < 5) {
                    sampleBodies.add(new String(body, StandardCharsets.UTF_8));
                }
                int status = writeStatus;
                respond(exchange, status, status == 200 ? body
                        : "{\"error\":\"unavailable\"}".getBytes(StandardCharsets.UTF_8));
            } else {
                respond(exchange, 405, new byte[0]);
            }
        }
    }

    private static void respond(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
