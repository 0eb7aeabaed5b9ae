package io.canopy.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A minimal client of the Firebase v5 wire protocol for load generation: connects to {@code /.ws}, reassembles
 * split messages (count frames) and answers nothing (the server speaks first and we never need pings).
 *
 * <p>Two ways to send: {@link #send} writes one request and waits until the frame is handed to the socket (one
 * caller at a time); {@link #request} queues the frame behind earlier ones and returns a future of the reply's
 * status, so one connection can carry many requests in flight. Pushes ({@code "a":"d"} / {@code "a":"m"}) are
 * handed to {@link Handler#onPush} as raw text without JSON parsing: at tens of thousands of pushes per second
 * the load generator shares the CPU with the server, and it only needs one number out of each push.
 */
public final class V5Client implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Callbacks, on the socket's receiving thread. */
    public interface Handler {
        /** A reply to request {@code r} with status {@code s} ({@code ok} or an error code). */
        default void onReply(long r, String status) {
        }

        /** A data push, as the raw message text. */
        default void onPush(String text) {
        }
    }

    private final WebSocket socket;
    private final Receiver receiver;
    private final AtomicLong nextRequest = new AtomicLong(1);
    private CompletableFuture<?> sendTail = CompletableFuture.completedFuture(null);

    private V5Client(WebSocket socket, Receiver receiver) {
        this.socket = socket;
        this.receiver = receiver;
    }

    /**
     * Connects; {@code onData} gets each server data message's {@code d} object ({@code {"a":..,"b":..}} pushes
     * and {@code {"r":..,"b":..}} replies), parsed, on the socket's thread.
     */
    static V5Client connect(HttpClient http, String baseUrl, String ns, Consumer<JsonNode> onData) throws Exception {
        return connect(http, baseUrl, ns, new Receiver(null, onData)).join();
    }

    /** Connects asynchronously; the future completes once the server's handshake arrived. */
    public static CompletableFuture<V5Client> connectAsync(HttpClient http, String baseUrl, String ns,
        Handler handler) {
        return connect(http, baseUrl, ns, new Receiver(handler, null));
    }

    /** Connects and waits (at most 10 s) for the server's handshake. */
    public static V5Client connect(HttpClient http, String baseUrl, String ns, Handler handler) throws Exception {
        return connectAsync(http, baseUrl, ns, handler).get(15, TimeUnit.SECONDS);
    }

    private static CompletableFuture<V5Client> connect(HttpClient http, String baseUrl, String ns, Receiver receiver) {
        String ws = baseUrl.replaceFirst("^http", "ws") + "/.ws?v=5&ns=" + ns;
        return http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
            .buildAsync(URI.create(ws), receiver)
            .thenCompose(socket -> receiver.handshake.orTimeout(10, TimeUnit.SECONDS)
                .thenApply(x -> new V5Client(socket, receiver)));
    }

    /** Sends one request and waits until it is written; returns its request number. Callers must not overlap. */
    long send(String action, String bodyJson) {
        long r = nextRequest.getAndIncrement();
        enqueue(frame(r, action, bodyJson)).join();
        return r;
    }

    /**
     * Queues one request behind the ones before it (never blocks) and returns a future of its reply status
     * ({@code ok} or the error code). Thread-safe.
     */
    public CompletableFuture<String> request(String action, String bodyJson) {
        return request(action, bodyJson, () -> { });
    }

    /**
     * Like {@link #request(String, String)}, and runs {@code onWritten} once the JDK client has written the frame
     * to the socket (which lets a benchmark tell the client's own send queue from the server's time).
     */
    public CompletableFuture<String> request(String action, String bodyJson, Runnable onWritten) {
        long r = nextRequest.getAndIncrement();
        CompletableFuture<String> reply = new CompletableFuture<>();
        receiver.pending.put(r, reply);
        enqueue(frame(r, action, bodyJson)).whenComplete((x, e) -> {
            if (e == null) {
                onWritten.run();
            } else if (receiver.pending.remove(r) != null) {
                reply.completeExceptionally(e);
            }
        });
        return reply;
    }

    /** Requests sent whose reply has not arrived. */
    public int inFlight() {
        return receiver.pending.size();
    }

    private static String frame(long r, String action, String bodyJson) {
        return "{\"t\":\"d\",\"d\":{\"r\":" + r + ",\"a\":\"" + action + "\",\"b\":" + bodyJson + "}}";
    }

    private synchronized CompletableFuture<?> enqueue(String text) {
        // The JDK WebSocket allows one outstanding sendText: chain each frame behind the previous one.
        CompletableFuture<?> next = sendTail.thenCompose(x -> socket.sendText(text, true));
        sendTail = next;
        return next;
    }

    /** Closes without waiting for the server's close frame; for tearing down thousands of connections. */
    public void abort() {
        socket.abort();
    }

    @Override
    public void close() {
        try {
            synchronized (this) { // queued frames go first
                sendTail.exceptionally(e -> null).thenCompose(x -> socket.sendClose(WebSocket.NORMAL_CLOSURE, "done"))
                    .orTimeout(2, TimeUnit.SECONDS).exceptionally(e -> null).join();
            }
        } finally {
            socket.abort();
        }
    }

    /** Extracts the whole number that follows {@code key} (e.g. {@code "ts":}) in {@code text}; -1 if absent. */
    public static long longAfter(String text, String key) {
        int i = text.indexOf(key);
        if (i < 0) {
            return -1;
        }
        i += key.length();
        while (i < text.length() && text.charAt(i) == ' ') {
            i++;
        }
        long n = 0;
        int start = i;
        boolean negative = i < text.length() && text.charAt(i) == '-';
        if (negative) {
            i++;
        }
        for (; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                break;
            }
            n = n * 10 + (c - '0');
        }
        if (i == start || negative && i == start + 1) {
            return -1;
        }
        return negative ? -n : n;
    }

    private static final class Receiver implements WebSocket.Listener {
        private final Handler handler;
        private final Consumer<JsonNode> onData;
        private final StringBuilder frame = new StringBuilder();
        private final StringBuilder message = new StringBuilder();
        private int piecesLeft;
        final Map<Long, CompletableFuture<String>> pending = new ConcurrentHashMap<>();
        final CompletableFuture<Void> handshake = new CompletableFuture<>();

        Receiver(Handler handler, Consumer<JsonNode> onData) {
            this.handler = handler;
            this.onData = onData;
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            frame.append(data);
            if (last) {
                onFrame(frame.toString());
                frame.setLength(0);
            }
            ws.request(1);
            return null;
        }

        private void onFrame(String text) {
            if (piecesLeft == 0 && text.length() <= 6 && !text.isEmpty() && text.chars().allMatch(Character::isDigit)) {
                piecesLeft = Integer.parseInt(text);
                return;
            }
            if (piecesLeft > 0) {
                message.append(text);
                if (--piecesLeft > 0) {
                    return;
                }
                text = message.toString();
                message.setLength(0);
            }
            if (onData == null && (text.contains("\"a\":\"d\"") || text.contains("\"a\":\"m\""))) {
                handler.onPush(text);
                return;
            }
            JsonNode msg;
            try {
                msg = JSON.readTree(text);
            } catch (Exception e) {
                throw new IllegalStateException("unparsable message from server: " + text, e);
            }
            if ("c".equals(msg.path("t").asText())) {
                if ("h".equals(msg.path("d").path("t").asText())) {
                    handshake.complete(null);
                }
                return;
            }
            JsonNode d = msg.path("d");
            if (onData != null) {
                onData.accept(d);
            }
            JsonNode r = d.get("r");
            if (r != null) {
                String status = d.path("b").path("s").asText("");
                CompletableFuture<String> reply = pending.remove(r.asLong());
                if (handler != null) {
                    handler.onReply(r.asLong(), status);
                }
                if (reply != null) {
                    reply.complete(status);
                }
            } else if (handler != null) {
                handler.onPush(text);
            }
        }

        @Override
        public void onOpen(WebSocket ws) {
            ws.request(1);
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            failPending(new IllegalStateException("connection closed: " + statusCode + " " + reason));
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            failPending(error);
        }

        private void failPending(Throwable error) {
            handshake.completeExceptionally(error);
            pending.values().forEach(f -> f.completeExceptionally(error));
            pending.clear();
        }
    }
}
