package io.canopy.gateway.sse;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A test client for event streams: java.net.http with a line-by-line body subscriber that turns
 * {@code event:}/{@code data:} lines into {@link Event}s, queued in arrival order.
 */
public final class SseClient implements AutoCloseable {
  /** One event; {@link #END} marks the end of the response body. */
  public record Event(String event, String data) {}

  public static final Event END = new Event("<end>", null);

  private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
  private final HttpResponse.ResponseInfo response;
  private final CompletableFuture<HttpResponse<Void>> done;
  private volatile Flow.Subscription subscription;

  private SseClient(HttpClient http, HttpRequest request) throws Exception {
    // The response future completes only when the body ends: take the head from the body handler instead.
    CompletableFuture<HttpResponse.ResponseInfo> head = new CompletableFuture<>();
    this.done = http.sendAsync(request, info -> {
      head.complete(info);
      return HttpResponse.BodySubscribers.fromLineSubscriber(new Lines());
    });
    done.whenComplete((r, e) -> {
      if (e != null) {
        head.completeExceptionally(e);
      }
    });
    this.response = head.get(30, TimeUnit.SECONDS);
  }

  /** Opens a stream of {@code url} and returns once the response head arrived. */
  public static SseClient open(String url, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/event-stream");
    for (int i = 0; i + 1 < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
    return new SseClient(http, b.GET().build());
  }

  /** The status and headers. */
  public HttpResponse.ResponseInfo response() {
    return response;
  }

  /** The next event, waiting up to {@code timeout}; fails if none comes. */
  public Event next(Duration timeout) throws InterruptedException {
    Event e = events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (e == null) {
      throw new AssertionError("no event within " + timeout);
    }
    return e;
  }

  /** The next event other than keep-alive. */
  public Event nextData(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Event e = next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
      if (!e.event().equals("keep-alive")) {
        return e;
      }
    }
  }

  /** The next event if one is queued within {@code timeout}, else null. */
  public Event poll(Duration timeout) throws InterruptedException {
    return events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Stops reading: the client side of the connection goes away. */
  @Override
  public void close() {
    Flow.Subscription s = subscription;
    if (s != null) {
      s.cancel();
    }
  }

  private final class Lines implements Flow.Subscriber<String> {
    private String event;
    private StringBuilder data;

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
      s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(String line) {
      if (line.isEmpty()) {
        if (event != null || data != null) {
          events.add(new Event(event == null ? "message" : event, data == null ? null : data.toString()));
        }
        event = null;
        data = null;
      } else if (line.startsWith("event:")) {
        event = line.substring(6).trim();
      } else if (line.startsWith("data:")) {
        String d = line.substring(5);
        d = d.startsWith(" ") ? d.substring(1) : d;
        data = data == null ? new StringBuilder(d) : data.append('\n').append(d);
      }
    }

    @Override
    public void onError(Throwable t) {
      events.add(END);
    }

    @Override
    public void onComplete() {
      events.add(END);
    }
  }

  /** Completes when the response body ends (for tests that only wait for the end). */
  public CompletableFuture<Void> ended() {
    return CompletableFuture.runAsync(() -> {
      try {
        while (next(Duration.ofSeconds(30)) != END) {
          // skip
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
  }
}
