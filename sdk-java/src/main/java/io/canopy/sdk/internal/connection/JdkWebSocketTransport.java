package io.canopy.sdk.internal.connection;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A {@link Transport} over the JDK's {@link java.net.http.WebSocket}: reassembles fragmented text frames (the
 * {@code last} flag) and v5 count-framed messages, and sends one frame at a time (the JDK allows a single outstanding
 * send) from a lock-free queue. Never sends pings, pongs or binary frames.
 */
public final class JdkWebSocketTransport implements Transport, WebSocket.Listener {
  private final Transport.Listener listener;
  private final FrameCodec codec = new FrameCodec();
  private final StringBuilder fragment = new StringBuilder();
  private final Queue<String> outbox = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean sending = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile WebSocket socket;

  private JdkWebSocketTransport(Transport.Listener listener) {
    this.listener = listener;
  }

  /** A factory using {@code http} with the given connect timeout. */
  public static TransportFactory factory(HttpClient http, Duration connectTimeout) {
    return (uri, listener) -> open(http, uri, connectTimeout, listener);
  }

  static Transport open(HttpClient http, URI uri, Duration connectTimeout, Transport.Listener listener) {
    JdkWebSocketTransport t = new JdkWebSocketTransport(listener);
    http.newWebSocketBuilder()
        .connectTimeout(connectTimeout)
        .header("User-Agent", "Canopy/5/sdk-java")
        .buildAsync(uri, t)
        .whenComplete((ws, error) -> {
          if (error != null) {
            t.fail("cannot connect to " + uri + ": " + error);
          } else if (t.closed.get()) {
            ws.abort(); // closed while opening
          }
        });
    return t;
  }

  @Override
  public void send(String message) {
    if (closed.get()) {
      return;
    }
    outbox.addAll(FrameCodec.split(message));
    pump();
  }

  /** Sends queued frames one at a time; whoever flips {@code sending} owns the socket until the send completes. */
  private void pump() {
    while (true) {
      WebSocket ws = socket;
      if (ws == null || closed.get() || !sending.compareAndSet(false, true)) {
        return;
      }
      String next = outbox.poll();
      if (next == null) {
        sending.set(false);
        if (outbox.isEmpty()) {
          return;
        }
        continue;
      }
      CompletableFuture<WebSocket> sent = ws.sendText(next, true);
      if (sent.isDone() && !sent.isCompletedExceptionally()) {
        sending.set(false);
        continue;
      }
      sent.whenComplete((w, error) -> {
        sending.set(false);
        if (error != null) {
          fail("send failed: " + error);
        } else {
          pump();
        }
      });
      return;
    }
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    outbox.clear();
    WebSocket ws = socket;
    if (ws != null) {
      ws.sendClose(WebSocket.NORMAL_CLOSURE, "")
          .orTimeout(1, TimeUnit.SECONDS)
          .whenComplete((w, e) -> ws.abort());
    }
    listener.onClosed("closed by the client");
  }

  private void fail(String reason) {
    if (closed.compareAndSet(false, true)) {
      outbox.clear();
      WebSocket ws = socket;
      if (ws != null) {
        ws.abort();
      }
      listener.onClosed(reason);
    }
  }

  // ---- WebSocket.Listener (I/O threads) ----

  @Override
  public void onOpen(WebSocket webSocket) {
    socket = webSocket;
    webSocket.request(1);
    pump();
  }

  @Override
  public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
    fragment.append(data);
    if (last) {
      String frame = fragment.toString();
      fragment.setLength(0);
      String message = codec.accept(frame);
      if (message != null && !closed.get()) {
        listener.onMessage(message);
      }
    }
    webSocket.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
    webSocket.request(1); // not part of the protocol: ignored
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
    fail("closed by the server (" + statusCode + (reason == null || reason.isEmpty() ? "" : " " + reason) + ")");
    return null;
  }

  @Override
  public void onError(WebSocket webSocket, Throwable error) {
    fail("socket error: " + error);
  }
}
