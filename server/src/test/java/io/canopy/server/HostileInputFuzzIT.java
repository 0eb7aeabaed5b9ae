package io.canopy.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.canopy.gateway.limits.LimitsConfig;
import io.canopy.gateway.limits.Rate;
import io.canopy.server.LimitsIT.Fixture;
import io.canopy.server.LimitsIT.WsProbe;
import io.canopy.server.testing.RestClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile input against a whole server, from a fixed seed, for a bounded time: randomized WebSocket frames (valid
 * requests with mutated fields, garbage, truncated JSON, deep nesting, huge keys, binary and non-UTF-8 frames,
 * absurd piece counts, unknown actions, request and frame floods) and REST requests (random bodies, paths and
 * parameters), interleaved with valid writes whose acknowledgements are recorded. It checks that every request is
 * answered (an error on its {@code r}, or an error notice when it has none) within a timeout, that only a flood or a
 * frame the WebSocket protocol itself forbids closes a connection, that {@code /health} stays OK and a fresh
 * connection works after every burst, that REST never answers 5xx or hangs, and at the end that every acknowledged
 * write reads back with its value.
 *
 * <p>{@code -Dcanopy.fuzz.seed=<n>} replays a run; {@code -Dcanopy.fuzz.seconds=<s>} bounds it (default 30). A
 * failure names its seed. What is sent depends only on the seed (the time bound only decides how many rounds run).
 */
class HostileInputFuzzIT {
  private static final long SEED = Long.getLong("canopy.fuzz.seed", 0x5EED_CA40L);
  private static final long SECONDS = Long.getLong("canopy.fuzz.seconds", 30);
  private static final String HOSTILE_NS = "fuzz-hostile";
  private static final String VALID_NS = "fuzz-valid";
  private static final LimitsConfig LIMITS = LimitsConfig.defaults()
      .withWsMessages(new Rate(200, 400))
      .withWsFloodFrames(new Rate(4_000, 8_000));

  @TempDir
  static Path dir;

  private static Fixture server;
  private static RestClient rest;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  /** Acknowledged valid writes: path (under the valid namespace) to the JSON written there. */
  private final Map<String, String> acknowledged = new LinkedHashMap<>();
  private final List<String> log = new ArrayList<>();
  /** What each kind of hostile input got, printed at the end (e.g. {@code ws 19 -> invalid_data}). */
  private final Map<String, Integer> outcomes = new java.util.TreeMap<>();
  private int validCounter;

  @BeforeAll
  static void start() {
    server = Fixture.start(dir, LIMITS);
    rest = new RestClient(server.url());
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void hostileInputGetsErrorsAndNothingAcceptedIsLost() {
    Random random = new Random(SEED);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SECONDS);
    int round = 0;
    try {
      while (System.nanoTime() < deadline) {
        round++;
        int kind = random.nextInt(10);
        if (kind == 0) {
          requestFlood(random);
        } else if (kind == 1) {
          frameFlood(random);
        } else if (kind <= 3) {
          restBurst(random);
        } else {
          webSocketBurst(random);
        }
        afterBurst(random);
      }
      verifyNothingAcceptedIsLost();
      System.out.println("HostileInputFuzzIT seed=" + SEED + ": " + round + " rounds, " + acknowledged.size()
          + " acknowledged writes verified; outcomes: " + outcomes);
      assertThat(acknowledged).as("valid writes were acknowledged at all").isNotEmpty();
    } catch (AssertionError | RuntimeException e) {
      int from = Math.max(0, log.size() - 40);
      throw new AssertionError("HostileInputFuzzIT failed in round " + round + "; replay with -Dcanopy.fuzz.seed="
          + SEED + "\nlast steps:\n  " + String.join("\n  ", log.subList(from, log.size())), e);
    }
  }

  // ---- WebSocket ----

  /** What a hostile frame must get. */
  private enum Expect { REPLY, NOTICE, NOTHING }

  private void webSocketBurst(Random random) {
    WsProbe ws = WsProbe.connect(server.port(), "v=5&ns=" + HOSTILE_NS);
    WsProbe writer = WsProbe.connect(server.port(), "v=5&ns=" + VALID_NS);
    Map<Long, Integer> expectedReplies = new LinkedHashMap<>();
    Map<Long, String> kinds = new LinkedHashMap<>();
    Map<Long, String> validWrites = new LinkedHashMap<>();
    int notices = 0;
    int items = 5 + random.nextInt(20);
    for (int i = 0; i < items; i++) {
      long r = ws.nextR();
      String[] item = hostileItem(random, r);
      Expect expect = Expect.valueOf(item[0]);
      log.add("ws " + expect + " " + abbreviate(item[1]));
      switch (item[1].isEmpty() ? "" : item[1].substring(0, 1)) {
        case "\u0000" -> ws.sendBinary(randomBytes(random, 1 + random.nextInt(64)));
        default -> ws.send(item[1]);
      }
      if (expect == Expect.REPLY) {
        expectedReplies.merge(r, 1, Integer::sum);
        kinds.put(r, item[2]);
      } else if (expect == Expect.NOTICE) {
        notices++;
      }
      if (random.nextInt(3) == 0) {
        String body = validWriteBody(random);
        validWrites.put(writer.request("p", body), lastValidPath);
      }
    }
    boolean endsAbruptly = random.nextInt(4) == 0;
    for (Map.Entry<Long, Integer> e : expectedReplies.entrySet()) {
      outcomes.merge("ws " + kinds.get(e.getKey()) + " -> " + ws.reply(e.getKey()).at("/b/s").asText(), 1,
          Integer::sum);
      assertThat(ws.replies(e.getKey())).as("replies to r=%d", e.getKey()).hasSizeGreaterThanOrEqualTo(
          Math.min(e.getValue(), 1));
    }
    for (int n = 0; n < notices; n++) {
      assertThat(ws.notice()).isNotBlank();
    }
    assertThat(ws.isOpen()).as("the connection survives errors").isTrue();
    assertThat(ws.status(ws.request("s", "{}"))).isEqualTo("ok");
    assertThat(ws.violations).isEmpty();
    if (endsAbruptly) {
      terminalItem(random, ws);
    }
    collect(writer, validWrites);
    ws.close();
    writer.close();
  }

  private String lastValidPath;

  /** {@code {"p":..., "d":...}} of a valid write to a fresh path; remembers its expected read-back. */
  private String validWriteBody(Random random) {
    lastValidPath = "/v/" + (validCounter++);
    String value = validValue(random);
    expectedValue.put(lastValidPath, value);
    return "{\"p\":\"" + lastValidPath + "\",\"d\":" + value + "}";
  }

  private final Map<String, String> expectedValue = new LinkedHashMap<>();

  private void collect(WsProbe writer, Map<Long, String> writes) {
    for (Map.Entry<Long, String> w : writes.entrySet()) {
      JsonNode reply = writer.reply(w.getKey());
      String status = reply.at("/b/s").asText();
      if (status.equals("ok")) {
        acknowledged.put(w.getValue(), expectedValue.get(w.getValue()));
      } else {
        assertThat(status).as("a valid write is only refused for its rate: %s", reply).isEqualTo("unavailable");
      }
    }
  }

  /** {@code [expectation, frame]}; a frame starting with NUL stands for a binary frame. */
  private String[] hostileItem(Random random, long r) {
    int kind = random.nextInt(22);
    String[] item = hostileItem(random, r, kind);
    return new String[] {item[0], item[1], String.valueOf(kind)};
  }

  private String[] hostileItem(Random random, long r, int kind) {
    String path = "/h/" + random.nextInt(50);
    return switch (kind) {
      case 0 -> reply(request(r, "p", "{\"p\":\"" + path + "\",\"d\":" + validValue(random) + "}"));
      case 1 -> reply(request(r, "m", "{\"p\":\"" + path + "\",\"d\":{\"a/b\":1,\"c\":null}}"));
      case 2 -> reply(request(r, pick(random, "zz", "", "P", "pp", "\\u0000", "a".repeat(200)), "{}"));
      case 3 -> reply(request(r, "p", "{\"p\":\"" + path + "/" + pick(random, "a.b", "a$", "#", "[", "]", "\\u0001")
          + "\",\"d\":1}"));
      case 4 -> reply(request(r, "p", "{\"p\":\"" + path + "/" + "k".repeat(769 + random.nextInt(5_000))
          + "\",\"d\":1}"));
      case 5 -> reply(request(r, "p", "{\"p\":\"" + path + "\",\"d\":{\"" + "k".repeat(769 + random.nextInt(2_000))
          + "\":1}}"));
      case 6 -> reply(request(r, "p", "{\"p\":\"" + path + "\",\"d\":" + nested(random, 30 + random.nextInt(3_000))
          + "}"));
      case 7 -> reply(request(r, "p", "{\"p\":\"" + path + "/x".repeat(28 + random.nextInt(10)) + "\",\"d\":1}"));
      case 8 -> reply(request(r, pick(random, "p", "m", "o", "om", "q", "g", "n", "oc"),
          "{\"p\":" + pick(random, "1", "null", "[]", "{}", "true") + ",\"d\":1}"));
      case 9 -> reply(request(r, pick(random, "q", "g"), "{\"p\":\"" + path + "\",\"q\":" + pick(random,
          "5", "[]", "{\"i\":5}", "{\"l\":-1}", "{\"l\":\"x\"}", "{\"sp\":{}}", "{\"vf\":\"z\",\"l\":1}",
          "{\"i\":\".key\",\"sp\":1}", "{\"i\":\"a/b.c\"}", "{\"l\":1e400}") + ",\"t\":" + pick(random, "1", "\"x\"",
          "1.5") + "}"));
      case 10 -> reply(request(r, "p", "{\"p\":\"" + path + "\",\"d\":" + pick(random,
          "{\".sv\":\"nope\"}", "{\".sv\":{\"increment\":\"x\"}}", "{\".value\":{\"a\":1}}",
          "{\".value\":1,\"a\":2}", "{\".priority\":{}}", "1e400", "-1e400") + "}"));
      case 11 -> reply(request(r, "p", "{\"p\":\"" + path + "\",\"h\":5,\"d\":1}"));
      case 12 -> {
        String full = request(r, "p", "{\"p\":\"" + path + "\",\"d\":{\"x\":[1,2,{\"y\":\"z\"}]}}");
        int from = full.indexOf("\"a\"");
        yield reply(full.substring(0, from + random.nextInt(full.length() - from - 1)));
      }
      case 13 -> notice("{\"t\":\"d\",\"d\":{\"a\":\"s\",\"b\":{}}}");
      case 14 -> notice("{\"t\":\"d\",\"d\":{\"r\":" + pick(random, "1.5", "\"1\"", "null", "[]",
          "123456789012345678901234567890") + ",\"a\":\"s\",\"b\":{}}}");
      case 15 -> notice(pick(random, "[1,2]", "\"x\"", "true", "null", "12345678", "x" + garbage(random), "{",
          "}"));
      case 16 -> notice("\u0000binary");
      case 17 -> notice(pick(random, "1e9", "999999", "10000"));
      case 18 -> nothing(pick(random, "0", "-1", "1.5", "{\"t\":\"c\",\"d\":{\"t\":\"zz\",\"d\":{}}}",
          "{\"t\":\"c\",\"d\":{\"t\":\"p\",\"d\":{}}}", "{\"t\":\"c\"}"));
      case 19 -> reply(request(r, "p", "{\"p\":\"" + path + "\",\"d\":\"" + "\\ud800".repeat(1 + random.nextInt(3))
          + "\"}"));
      case 20 -> reply(request(r, "p", "{\"p\":\"" + path + "\",\"d\":\"" + "x".repeat(20_000 + random.nextInt(
          40_000)) + "\",\"extra\":" + nested(random, 100) + "}")); // split into pieces
      default -> reply("{\"t\":\"" + pick(random, "x", "", "D") + "\",\"d\":{\"r\":" + r + ",\"a\":\"s\",\"b\":{}}}");
    };
  }

  /** Something after which the connection may be closed by the server, as the WebSocket protocol demands. */
  private void terminalItem(Random random, WsProbe ws) {
    switch (random.nextInt(3)) {
      case 0 -> {
        log.add("ws terminal: text frame that is not UTF-8");
        ws.sendInvalidUtf8(new byte[] {(byte) 0xc3, 0x28, (byte) 0xff, '"', '}', '}'});
      }
      case 1 -> {
        log.add("ws terminal: a frame over 64 KiB");
        ws.sendNoWait("{\"t\":\"d\",\"d\":\"" + "x".repeat(70_000) + "\"}");
      }
      default -> {
        log.add("ws terminal: a count announcing pieces that never come");
        ws.sendNoWait("3");
        ws.sendNoWait("{\"t\":\"d\",");
      }
    }
    // the server either closes or carries on; it must not fall over: checked by afterBurst
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
    while (ws.isOpen() && System.nanoTime() < until) {
      java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
    }
    outcomes.merge("terminal: " + log.get(log.size() - 1).substring("ws terminal: ".length()) + " -> "
        + (ws.isOpen() ? "open" : "closed " + ws.awaitClose().code()), 1, Integer::sum);
  }

  private void requestFlood(Random random) {
    WsProbe ws = WsProbe.connect(server.port(), "v=5&ns=" + HOSTILE_NS);
    int n = 1_500 + random.nextInt(1_000);
    log.add("ws request flood of " + n);
    List<Long> sent = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      sent.add(ws.request(random.nextBoolean() ? "s" : "zz", "{}"));
    }
    int throttled = 0;
    for (long r : sent) {
      JsonNode b = ws.reply(r).get("b");
      if (b.get("d").asText().startsWith("Too many requests")) {
        assertThat(b.get("s").asText()).isEqualTo("unavailable");
        throttled++;
      }
    }
    assertThat(throttled).as("a flood over the rate is throttled").isPositive();
    assertThat(ws.isOpen()).as("a request flood under the hard limit keeps the connection").isTrue();
    ws.close();
  }

  private void frameFlood(Random random) {
    WsProbe ws = WsProbe.connect(server.port(), "v=5&ns=" + HOSTILE_NS);
    log.add("ws frame flood");
    for (int i = 0; i < 20_000 && ws.isOpen(); i++) {
      ws.sendNoWait(random.nextBoolean() ? "0" : "{\"t\":\"c\",\"d\":{\"t\":\"zz\"}}");
    }
    WsProbe.Closed closed = ws.awaitClose();
    assertThat(closed.code()).isEqualTo((short) 1008);
    assertThat(closed.reason()).startsWith("too many messages");
  }

  // ---- REST ----

  private void restBurst(Random random) {
    int items = 3 + random.nextInt(10);
    for (int i = 0; i < items; i++) {
      String method = pick(random, "GET", "PUT", "PATCH", "POST", "DELETE", "OPTIONS", "HEAD", "BREW");
      String path = pick(random, "/h/x.json", "/h/" + "k".repeat(800) + ".json", "/h/%zz.json", "/h/%C3%28.json",
          "/h/a.b/c.json", "/h" + "/x".repeat(40) + ".json", "/.json", "/h/x", "/h/x.json/", "/.settings/rules.json",
          "/h/%00.json", "/h/.priority.json");
      String query = pick(random, "", "?print=silent", "?print=bogus", "?orderBy=x", "?orderBy=\"$key\"&startAt=1",
          "?limitToFirst=-5&orderBy=\"$key\"", "?timeout=0ms", "?timeout=99999min", "?writeSizeLimit=huge",
          "?shallow=true&orderBy=\"$key\"", "?ns=" + "Z".repeat(60), "?callback=alert(1)", "?download=../x",
          "?%zz=1", "?auth=not-a-token", "?format=export&shallow=maybe");
      String body = pick(random, "", "1", "{", "{\"a\":", "nul", "[1,2", "{\"a.b\":1}", nested(random, 2_000),
          "{\"" + "k".repeat(1_000) + "\":1}", "\"\\ud800\"", "{\".sv\":\"x\"}", "{\"a/b\":1,\"a\":2}",
          garbage(random));
      boolean invalidUtf8 = random.nextInt(8) == 0;
      byte[] bytes = invalidUtf8 ? new byte[] {'"', (byte) 0xc3, 0x28, '"'} : body.getBytes(StandardCharsets.UTF_8);
      String sep = query.isEmpty() ? "?" : "&";
      String url = server.url() + path + query + sep + "ns=" + HOSTILE_NS;
      log.add("rest " + method + " " + abbreviate(path + query) + " body " + abbreviate(invalidUtf8 ? "<bad utf-8>"
          : body));
      int status;
      String errorBody = "";
      try {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20));
        b.method(method, bytes.length == 0 ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(bytes));
        if (random.nextInt(5) == 0) {
          b.header("Accept", "text/event-stream"); // a stream that opens is never-ending: only its head is read
          HttpResponse<java.io.InputStream> streamed = http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
          status = streamed.statusCode();
          try (java.io.InputStream in = streamed.body()) {
            if (status >= 400) {
              errorBody = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
          }
        } else {
          HttpResponse<String> response = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
          status = response.statusCode();
          errorBody = response.body();
        }
      } catch (IllegalArgumentException e) {
        continue; // a URI java.net.http refuses to send
      } catch (java.io.IOException e) {
        throw new AssertionError("REST request failed: " + e, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
      assertThat(status).as("%s %s", method, path + query).isBetween(200, 499);
      outcomes.merge("rest " + status, 1, Integer::sum);
      if (status >= 400 && !method.equals("HEAD")) {
        assertThat(errorBody).as("an error body").contains("\"error\"");
      }
      if (random.nextBoolean()) {
        String validPath = "/v/" + (validCounter++);
        String value = validValue(random);
        RestClient.Response put = rest.put(validPath + ".json?ns=" + VALID_NS, value);
        log.add("rest valid PUT " + validPath);
        if (put.status() == 200) {
          acknowledged.put(validPath, value);
        } else {
          assertThat(put.status()).as("a valid REST write is only refused for its rate").isEqualTo(429);
        }
      }
    }
  }

  // ---- after every burst, and at the end ----

  private void afterBurst(Random random) {
    assertThat(rest.get("/health").status()).isEqualTo(200);
    WsProbe fresh = WsProbe.connect(server.port(), "v=5&ns=" + VALID_NS);
    assertThat(fresh.status(fresh.request("s", "{}"))).isEqualTo("ok");
    if (!acknowledged.isEmpty()) {
      String somePath = new ArrayList<>(acknowledged.keySet()).get(random.nextInt(acknowledged.size()));
      JsonNode got = fresh.reply(fresh.request("g", "{\"p\":\"" + somePath + "\",\"q\":{}}"));
      assertThat(got.at("/b/s").asText()).isEqualTo("ok");
    }
    fresh.close();
  }

  private void verifyNothingAcceptedIsLost() {
    for (Map.Entry<String, String> w : acknowledged.entrySet()) {
      RestClient.Response r = rest.get(w.getKey() + ".json?ns=" + VALID_NS);
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.json()).as("value at %s", w.getKey()).isEqualTo(RestClient.json(w.getValue()));
    }
  }

  // ---- generators ----

  private static String request(long r, String action, String body) {
    return "{\"t\":\"d\",\"d\":{\"r\":" + r + ",\"a\":\"" + action + "\",\"b\":" + body + "}}";
  }

  private static String[] reply(String frame) {
    return new String[] {Expect.REPLY.name(), frame};
  }

  private static String[] notice(String frame) {
    return new String[] {Expect.NOTICE.name(), frame};
  }

  private static String[] nothing(String frame) {
    return new String[] {Expect.NOTHING.name(), frame};
  }

  /** A value that reads back as the same JSON: no arrays, no doubles, no empty objects. */
  private static String validValue(Random random) {
    return switch (random.nextInt(4)) {
      case 0 -> String.valueOf(random.nextInt(1_000_000));
      case 1 -> "\"s" + random.nextInt(1_000_000) + " ü😀\"";
      case 2 -> random.nextBoolean() ? "true" : "false";
      default -> "{\"a\":" + random.nextInt(100) + ",\"b\":{\"c\":\"d" + random.nextInt(100) + "\"}}";
    };
  }

  private static String nested(Random random, int depth) {
    return "{\"x\":".repeat(depth) + random.nextInt(10) + "}".repeat(depth);
  }

  private static String garbage(Random random) {
    StringBuilder sb = new StringBuilder();
    int n = 1 + random.nextInt(60);
    for (int i = 0; i < n; i++) {
      sb.append((char) (0x21 + random.nextInt(0x5d)));
    }
    return sb.toString();
  }

  private static byte[] randomBytes(Random random, int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  @SafeVarargs
  private static <T> T pick(Random random, T... options) {
    return options[random.nextInt(options.length)];
  }

  private static String abbreviate(String s) {
    return s.length() <= 120 ? s : s.substring(0, 100) + "...(" + s.length() + " chars)";
  }
}
