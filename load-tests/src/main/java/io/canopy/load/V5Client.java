package io.canopy.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A minimal client of the Firebase v5 wire protocol for load generation: connects to {@code /.ws}, reassembles
 * split messages (count frames), answers nothing (the server speaks first and we never need pings), and hands
 * every data message's body to a callback. One request in flight per {@link #send} caller.
 */
final class V5Client implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final WebSocket socket;
    private final AtomicLong nextRequest = new AtomicLong(1);

    private V5Client(WebSocket socket) {
        this.socket = socket;
    }

    /**
     * Connects; {@code onData} gets each server data message's {@code d} object ({@code {"a":..,"b":..}} pushes
     * and {@code {"r":..,"b":..}} replies), on the socket's thread.
     */
    static V5Client connect(HttpClient http, String baseUrl, String ns, Consumer<JsonNode> onData) throws Exception {
        String ws = baseUrl.replaceFirst("^http", "ws") + "/.ws?v=5&ns=" + ns;
        Receiver receiver = new Receiver(onData);
        WebSocket socket = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
            .buildAsync(URI.create(ws), receiver).get(10, TimeUnit.SECONDS);
        receiver.handshake.get(10, TimeUnit.SECONDS); // the server speaks first
        return new V5Client(socket);
    }

    /** Sends one request; returns its request number. The caller must not overlap sends. */
    long send(String action, String bodyJson) {
        long r = nextRequest.getAndIncrement();
        socket.sendText("{\"t\":\"d\",\"d\":{\"r\":" + r + ",\"a\":\"" + action + "\",\"b\":" + bodyJson + "}}", true)
            .join();
        return r;
    }

    @Override
    public void close() {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").orTimeout(2, TimeUnit.SECONDS).exceptionally(e -> null)
            .join();
    }

    private static final class Receiver implements WebSocket.Listener {
        private final Consumer<JsonNode> onData;
        private final StringBuilder frame = new StringBuilder();
        private final StringBuilder message = new StringBuilder();
        private int piecesLeft;
        final CompletableFuture<Void> handshake = new CompletableFuture<>();

        Receiver(Consumer<JsonNode> onData) {
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
            if (piecesLeft == 0 && text.length() <= 6 && text.chars().allMatch(Character::isDigit)) {
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
            try {
                JsonNode msg = JSON.readTree(text);
                if ("c".equals(msg.path("t").asText())) {
                    if ("h".equals(msg.path("d").path("t").asText())) {
                        handshake.complete(null);
                    }
                    return;
                }
                onData.accept(msg.path("d"));
            } catch (Exception e) {
                throw new IllegalStateException("unparsable message from server: " + text, e);
            }
        }

        @Override
        public void onOpen(WebSocket ws) {
            ws.request(1);
        }
    }
}
