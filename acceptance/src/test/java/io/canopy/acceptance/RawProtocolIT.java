package io.canopy.acceptance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.canopy.acceptance.testing.CanopyProcess;
import io.canopy.acceptance.testing.Hashes;
import io.canopy.acceptance.testing.Json;
import io.canopy.acceptance.testing.Namespaces;
import io.canopy.acceptance.testing.RawClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The v5 wire contract of PROTOCOL.md, checked frame by frame with a raw client, so that an SDK failure can be
 * traced to the exact message that breaks it. Every check names the SDK behaviour that depends on it. Each
 * client's frames go to {@code target/raw-wire/<test>-<client>.log}.
 */
class RawProtocolIT {
  private static CanopyProcess server;
  private final List<RawClient> clients = new ArrayList<>();
  private String ns;
  private String testName;

  @BeforeAll
  static void startServer() {
    server = CanopyProcess.start("raw-protocol");
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  @BeforeEach
  void namespace(TestInfo test) {
    testName = test.getTestMethod().orElseThrow().getName();
    ns = Namespaces.unique("raw", test);
  }

  @AfterEach
  void noForbiddenFramesAndClose() {
    try {
      for (RawClient c : clients) {
        assertThat(c.violations()).as("frames the server must never send, seen by %s\n%s", c.name(), c.transcript())
            .isEmpty();
      }
    } finally {
      clients.forEach(RawClient::close);
      clients.clear();
    }
  }

  private RawClient connect(String name) {
    RawClient c = RawClient.connect(server, ns, name, Path.of("target", "raw-wire", testName + "-" + name + ".log"));
    clients.add(c);
    return c;
  }

  private static ObjectNode body(String json) {
    return (ObjectNode) Json.parse(json);
  }

  private static void assertOk(RawClient c, JsonNode reply, String what) {
    assertThat(reply.path("s").asText()).as("%s: reply status, reply %s\n%s", what, reply, c.transcript())
        .isEqualTo("ok");
  }

  /** Position of the reply whose body is {@code replyBody} (same instance) among a client's data messages. */
  private static int indexOfReply(List<JsonNode> messages, JsonNode replyBody) {
    for (int i = 0; i < messages.size(); i++) {
      if (messages.get(i).get("b") == replyBody) {
        return i;
      }
    }
    throw new AssertionError("reply not among the data messages");
  }

  private static String norm(String path) {
    String p = path.replaceAll("/+", "/");
    p = p.startsWith("/") ? p.substring(1) : p;
    return p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
  }

  // --------------------------------------------------------------------------------------------------------------

  /**
   * {t:'c',d:{t:'h',d:{ts,v,h,s}}} first: Java casts ts to Long (an integer beyond int32, no decimal point), both
   * SDKs adopt h as the host for reconnects (JS unless connectDatabaseEmulator), and send s back as ls.
   */
  @Test
  void helloComesFirstWithTheFieldsBothSdksRead() {
    RawClient c = connect("c");
    JsonNode hello = c.hello();
    assertThat(c.controlMessages()).as("first control message is the hello\n%s", c.transcript()).isNotEmpty();
    assertThat(hello.path("ts").isIntegralNumber()).as("ts is an integer (Java: (Long) cast): %s", hello).isTrue();
    assertThat(hello.path("ts").asLong()).as("ts is epoch milliseconds").isCloseTo(System.currentTimeMillis(),
        org.assertj.core.data.Offset.offset(60_000L));
    assertThat(hello.path("v").asText()).isEqualTo("5");
    assertThat(hello.path("h").asText()).as("h: a reachable host:port (echo the Host header)")
        .isIn("127.0.0.1:" + server.port(), "localhost:" + server.port());
    assertThat(hello.path("s").isTextual() && !hello.path("s").asText().isEmpty()).as("s: session id %s", hello)
        .isTrue();
  }

  @Test
  void statsAndEveryAuthFlavourAreAccepted() {
    RawClient c = connect("c");
    assertOk(c, c.call("s", body("{\"c\":{\"sdk.admin_java.9-11-0\":1}}")), "stats");
    assertOk(c, c.call("gauth", body("{\"cred\":\"owner\"}")), "gauth owner (Java admin, Node admin)");
    String header = b64("{\"alg\":\"none\",\"type\":\"JWT\"}");
    String claims = b64("{\"iss\":\"https://securetoken.google.com/demo\",\"aud\":\"demo\",\"iat\":0,"
        + "\"exp\":9999999999,\"auth_time\":0,\"sub\":\"u1\",\"user_id\":\"u1\",\"firebase\":{}}");
    assertOk(c, c.call("auth", body("{\"cred\":\"" + header + "." + claims + ".\"}")), "auth with an unsigned JWT");
    assertOk(c, c.call("unauth", body("{}")), "unauth");
    assertOk(c, c.call("appcheck", body("{\"token\":\"x\"}")), "appcheck");
  }

  /** Listen: the current value is pushed before the ok, whose d is an object (Java: NPE/ClassCastException). */
  @Test
  void listenPushesTheDataBeforeItsOkAndOkCarriesAnObject() {
    RawClient writer = connect("writer");
    assertOk(writer, writer.call("p", body("{\"p\":\"/a\",\"d\":{\"x\":1}}")), "put /a");
    RawClient c = connect("listener");

    JsonNode ok = c.await(c.listen("/a"), "listen /a");
    assertOk(c, ok, "listen /a");
    assertThat(ok.path("d").isObject()).as("listen ok d must be a JSON object, got %s", ok.path("d")).isTrue();
    List<JsonNode> msgs = c.dataMessages();
    int okAt = indexOfReply(msgs, ok);
    assertThat(msgs.subList(0, okAt)).as("a 'd' push at /a before the listen's ok\n%s", c.transcript())
        .anySatisfy(m -> {
          assertThat(m.path("a").asText()).isEqualTo("d");
          assertThat(norm(m.path("b").path("p").asText())).isEqualTo("a");
          assertThat(Json.canonical(m.path("b").path("d"))).isEqualTo(Json.canonical(Json.parse("{\"x\":1}")));
        });

    JsonNode emptyOk = c.await(c.listen("/nothing/here"), "listen on an empty path");
    assertOk(c, emptyOk, "listen on an empty path");
    List<JsonNode> after = c.dataMessages().subList(okAt + 1, indexOfReply(c.dataMessages(), emptyOk));
    assertThat(after).as("a 'd' push with d:null before the ok of an empty listen (the client fires value null)\n%s",
        c.transcript()).anySatisfy(m -> {
          assertThat(m.path("a").asText()).isEqualTo("d");
          assertThat(norm(m.path("b").path("p").asText())).isEqualTo("nothing/here");
          assertThat(m.path("b").path("d").isNull()).isTrue();
        });
  }

  /**
   * The writer's own listens get the new value before the write's ok (the SDKs' optimistic state is dropped on
   * the ok; a missing echo shows as a revert), other connections get it too, and replies keep request order.
   */
  @Test
  void writesEchoToTheWriterBeforeTheOkAndReachOtherListeners() {
    RawClient writer = connect("writer");
    RawClient other = connect("other");
    assertOk(writer, writer.await(writer.listen("/e"), "listen"), "writer listen /e");
    assertOk(other, other.await(other.listen("/e"), "listen"), "other listen /e");

    JsonNode ok = writer.call("p", body("{\"p\":\"/e/x\",\"d\":{\"n\":1}}"));
    assertOk(writer, ok, "put /e/x");
    List<JsonNode> msgs = writer.dataMessages();
    int okAt = indexOfReply(msgs, ok);
    assertThat(msgs.get(okAt - 1).has("a")).as("the push of the written value comes right before the put's ok\n%s",
        writer.transcript()).isTrue();
    assertThat(Json.at(writer.tree(), "e")).as("writer's tree when the ok arrives")
        .isEqualTo(Json.canonical(Json.parse("{\"x\":{\"n\":1}}")));
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(Json.at(other.tree(), "e"))
        .as("other connection's tree\n%s", other.transcript())
        .isEqualTo(Json.canonical(Json.parse("{\"x\":{\"n\":1}}"))));

    // Pipelined requests are answered in order.
    List<java.util.concurrent.CompletableFuture<JsonNode>> replies = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      replies.add(writer.put("/e/seq", Json.parse(String.valueOf(i)), null));
    }
    List<Integer> order = new ArrayList<>();
    for (var r : replies) {
      JsonNode reply = writer.await(r, "pipelined put");
      order.add(indexOfReply(writer.dataMessages(), reply));
    }
    assertThat(order).as("reply positions of 20 pipelined puts").isSorted();
    assertThat(Json.at(writer.tree(), "e/seq").asInt()).isEqualTo(19);
  }

  @Test
  void mergeAppliesAllPathsAtOnceAndDeletesNulls() {
    RawClient writer = connect("writer");
    RawClient other = connect("other");
    assertOk(writer, writer.call("p", body("{\"p\":\"/m\",\"d\":{\"a\":1,\"b\":{\"c\":2},\"gone\":true}}")), "put");
    assertOk(other, other.await(other.listen("/m"), "listen"), "listen");
    assertOk(writer, writer.call("m", body("{\"p\":\"/m\",\"d\":{\"a\":10,\"b/d\":3,\"gone\":null,\"n/e/w\":\"x\"}}")),
        "merge");
    JsonNode expected = Json.canonical(Json.parse("{\"a\":10,\"b\":{\"c\":2,\"d\":3},\"n\":{\"e\":{\"w\":\"x\"}}}"));
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(Json.at(other.tree(), "m")).as("other's tree\n%s", other.transcript()).isEqualTo(expected));
    assertThat(Json.canonical(server.rest().get(ns, "m"))).isEqualTo(expected);
  }

  /** Transactions: p with h is compare-and-set on the node hash; a mismatch is datastale and writes nothing. */
  @Test
  void putWithHashIsCompareAndSet() {
    RawClient c = connect("c");
    assertOk(c, c.await(c.listen("/counter"), "listen"), "listen /counter");
    assertOk(c, c.call("p", body("{\"p\":\"/counter\",\"d\":{\"count\":0}}")), "put {count:0}");

    JsonNode stale = c.call("p", body("{\"p\":\"/counter\",\"d\":{\"count\":1},\"h\":\"\"}"));
    assertThat(stale.path("s").asText()).as("empty-cache hash against {count:0}\n%s", c.transcript())
        .isEqualTo("datastale");
    assertThat(stale.path("d").isTextual()).as("error replies carry a string d (Java casts it): %s", stale).isTrue();
    assertThat(Json.canonical(server.rest().get(ns, "counter"))).isEqualTo(Json.canonical(Json.parse("{\"count\":0}")));

    String hash = Hashes.of(Json.parse("{\"count\":0}"));
    assertThat(hash).isEqualTo("cl67ch5UmlAYLMHpo01qE7xefBY=");
    assertOk(c, c.call("p", body("{\"p\":\"/counter\",\"d\":{\"count\":1},\"h\":\"" + hash + "\"}")),
        "put with the matching hash");
    assertThat(Json.canonical(server.rest().get(ns, "counter"))).isEqualTo(Json.canonical(Json.parse("{\"count\":1}")));
    assertThat(Json.at(c.tree(), "counter")).isEqualTo(Json.canonical(Json.parse("{\"count\":1}")));

    assertOk(c, c.call("p", body("{\"p\":\"/leaf\",\"d\":5,\"h\":\"\"}")), "CAS create on an absent node");
    assertOk(c, c.call("p", body("{\"p\":\"/leaf\",\"d\":6,\"h\":\"" + Hashes.of(Json.parse("5")) + "\"}")),
        "CAS on a number leaf");
    assertThat(server.rest().get(ns, "leaf").asInt()).isEqualTo(6);
  }

  /**
   * Messages over 16 384 characters travel as a count frame and pieces, both ways; the server's frames stay under
   * the Java SDK's 64 KiB limit even with 3-byte characters.
   */
  @Test
  void largeMessagesAreSplitIntoPiecesBothWays() {
    RawClient writer = connect("writer");
    RawClient reader = connect("reader");
    assertOk(reader, reader.await(reader.listen("/big"), "listen"), "listen /big");
    String ascii = "x".repeat(100_000);
    String wide = "é€😀".repeat(15_000); // 2-, 3- and 4-byte UTF-8; ~135 KB
    ObjectNode value = Json.object();
    value.put("ascii", ascii);
    value.put("wide", wide);
    assertOk(writer, writer.call("p", body("{\"p\":\"/big\",\"d\":" + Json.write(value) + "}")), "put 235 KB");
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(Json.at(reader.tree(), "big")).as("reader's copy of /big").isEqualTo(Json.canonical(value)));
    JsonNode got = writer.call("g", body("{\"p\":\"/big\",\"q\":{}}"));
    assertOk(writer, got, "get /big");
    assertThat(Json.canonical(got.path("d"))).isEqualTo(Json.canonical(value));
  }

  /** The client keepalive is the frame "0" (a count of 0): ignored. A control ping is answered by a pong. */
  @Test
  void keepaliveZeroIsIgnoredAndControlPingIsAnswered() {
    RawClient c = connect("c");
    c.sendFrame("0");
    assertOk(c, c.call("s", body("{\"c\":{\"sdk.node.12-19-0\":1}}")), "a request after a keepalive");
    c.sendFrame("{\"t\":\"c\",\"d\":{\"t\":\"p\",\"d\":{}}}");
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(c.controlMessages())
        .as("JS counts a pong {t:'c',d:{t:'o',d:{}}} as a healthy response; without it, it closes at 30 s\n%s",
            c.transcript())
        .anySatisfy(m -> {
          assertThat(m.path("t").asText()).isEqualTo("o");
          assertThat(m.has("d")).isTrue();
        }));
    java.util.concurrent.CompletableFuture<JsonNode> counted = c.expectReply(1000);
    c.sendFrame("1");
    c.sendFrame("{\"t\":\"d\",\"d\":{\"r\":1000,\"a\":\"s\",\"b\":{}}}");
    assertOk(c, c.await(counted, "a message announced by a count of 1"), "a message announced by a count of 1");
  }

  /** g (JS get()) returns the server's payload unfiltered by the client: the server must apply range and limit. */
  @Test
  void getAppliesTheQueryOnTheServer() {
    RawClient c = connect("c");
    assertOk(c, c.call("p", body("{\"p\":\"/g\",\"d\":{\"a\":{\"n\":3},\"b\":{\"n\":1},\"c\":{\"n\":2},\"d\":{\"n\":4}}}")),
        "put /g");
    JsonNode all = c.call("g", body("{\"p\":\"/g\",\"q\":{}}"));
    assertOk(c, all, "get /g");
    assertThat(Json.canonical(all.path("d"))).isEqualTo(Json.canonical(server.rest().get(ns, "g")));
    JsonNode last2 = c.call("g", body("{\"p\":\"/g\",\"q\":{\"i\":\"n\",\"l\":2,\"vf\":\"r\"}}"));
    assertOk(c, last2, "get orderByChild(n).limitToLast(2)");
    assertThat(Json.canonical(last2.path("d"))).isEqualTo(Json.canonical(Json.parse("{\"a\":{\"n\":3},\"d\":{\"n\":4}}")));
    JsonNode range = c.call("g", body("{\"p\":\"/g\",\"q\":{\"i\":\"n\",\"sp\":2,\"ep\":3}}"));
    assertThat(Json.canonical(range.path("d"))).isEqualTo(Json.canonical(Json.parse("{\"a\":{\"n\":3},\"c\":{\"n\":2}}")));
    JsonNode after = c.call("g", body("{\"p\":\"/g\",\"q\":{\"i\":\".key\",\"sp\":\"b\",\"sin\":false}}"));
    assertThat(Json.canonical(after.path("d"))).as("startAfter('b') on the key index")
        .isEqualTo(Json.canonical(Json.parse("{\"c\":{\"n\":2},\"d\":{\"n\":4}}")));
    JsonNode missing = c.call("g", body("{\"p\":\"/nope\",\"q\":{}}"));
    assertOk(c, missing, "get of an absent path");
    assertThat(missing.path("d").isNull()).isTrue();
  }

  /** A query listen carries a tag: every push for it has b.t = tag and a path at or below the query path. */
  @Test
  void taggedListenPushesCarryTheTagAndFollowTheWindow() {
    RawClient writer = connect("writer");
    RawClient c = connect("c");
    assertOk(writer, writer.call("p", body("{\"p\":\"/w\",\"d\":{\"a\":{\"n\":1},\"b\":{\"n\":2},\"c\":{\"n\":3}}}")),
        "put /w");
    JsonNode ok = c.await(c.request("q", body("{\"p\":\"/w\",\"h\":\"\",\"q\":{\"i\":\"n\",\"l\":1,\"vf\":\"l\"},\"t\":7}")),
        "tagged listen");
    assertOk(c, ok, "tagged listen");
    assertThat(ok.path("d").isObject()).as("listen ok d is an object: %s", ok).isTrue();
    List<JsonNode> before = c.dataMessages().subList(0, indexOfReply(c.dataMessages(), ok));
    assertThat(before).as("the query result pushed with t:7 before the ok\n%s", c.transcript()).anySatisfy(m -> {
      assertThat(m.path("b").path("t").asInt()).isEqualTo(7);
      assertThat(window(List.of(m))).isEqualTo(Map.of("a", 1));
    });

    assertOk(writer, writer.call("p", body("{\"p\":\"/w/a/n\",\"d\":10}")), "a leaves the window");
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      List<JsonNode> tagged = c.dataMessages().stream().filter(m -> m.path("b").has("t")).toList();
      assertThat(tagged).as("every tagged push is for tag 7").allSatisfy(m ->
          assertThat(m.path("b").path("t").asInt()).isEqualTo(7));
      assertThat(window(tagged)).as("limitToFirst(1) by n after a.n=10, from the tagged pushes\n%s", c.transcript())
          .isEqualTo(Map.of("b", 2));
    });
    c.dataMessages().stream().filter(m -> m.has("a") && !m.path("b").has("t")).forEach(m -> {
      throw new AssertionError("untagged push to a connection with only a tagged listen: " + m);
    });
  }

  /** Applies tagged pushes to a tree at /w, then takes the first child by n, as the client's view would. */
  private static Map<String, Integer> window(List<JsonNode> pushes) {
    ObjectNode root = Json.object();
    for (JsonNode m : pushes) {
      String p = norm(m.path("b").path("p").asText());
      if (m.path("a").asText().equals("d")) {
        setAt(root, p, m.path("b").path("d"));
      } else if (m.path("a").asText().equals("m")) {
        m.path("b").path("d").properties().forEach(e -> setAt(root, p + "/" + e.getKey(), e.getValue()));
      }
    }
    Map<String, Integer> byN = new TreeMap<>();
    Json.at(root, "w").properties().forEach(e -> byN.put(e.getKey(), e.getValue().path("n").asInt()));
    return byN.entrySet().stream().min(Map.Entry.comparingByValue())
        .map(e -> Map.of(e.getKey(), e.getValue())).orElse(Map.of());
  }

  private static void setAt(ObjectNode root, String path, JsonNode value) {
    String[] keys = path.split("/");
    ObjectNode n = root;
    for (int i = 0; i < keys.length - 1; i++) {
      if (!(n.get(keys[i]) instanceof ObjectNode)) {
        n.set(keys[i], Json.object());
      }
      n = (ObjectNode) n.get(keys[i]);
    }
    if (value == null || value.isNull()) {
      n.remove(keys[keys.length - 1]);
    } else {
      n.set(keys[keys.length - 1], value.deepCopy());
    }
  }

  /** After n (unlisten), the connection's own writes there are acknowledged without a push. */
  @Test
  void unlistenStopsPushes() {
    RawClient c = connect("c");
    assertOk(c, c.await(c.listen("/u"), "listen"), "listen /u");
    assertOk(c, c.call("n", body("{\"p\":\"/u\"}")), "unlisten /u");
    int before = c.dataMessages().size();
    JsonNode ok = c.call("p", body("{\"p\":\"/u\",\"d\":1}"));
    assertOk(c, ok, "put /u");
    assertThat(c.dataMessages().subList(before, c.dataMessages().size()))
        .as("only the put's reply after the unlisten\n%s", c.transcript()).hasSize(1);
  }

  /** o / om / oc are queued per connection and run as normal writes when its socket drops. */
  @Test
  void onDisconnectQueueRunsWhenTheSocketDrops() {
    RawClient leaving = connect("leaving");
    RawClient watcher = connect("watcher");
    assertOk(leaving, leaving.call("p", body("{\"p\":\"/od/keep\",\"d\":\"original\"}")), "put keep");
    assertOk(leaving, leaving.call("o", body("{\"p\":\"/od/status\",\"d\":\"offline\"}")), "o");
    assertOk(leaving, leaving.call("om", body("{\"p\":\"/od/stats\",\"d\":{\"a\":1,\"b/c\":2}}")), "om");
    assertOk(leaving, leaving.call("o", body("{\"p\":\"/od/keep\",\"d\":\"overwritten\"}")), "o keep");
    assertOk(leaving, leaving.call("oc", body("{\"p\":\"/od/keep\",\"d\":null}")), "oc keep");
    assertOk(watcher, watcher.await(watcher.listen("/od"), "listen"), "listen /od");
    leaving.abort();
    JsonNode expected = Json.canonical(Json.parse(
        "{\"keep\":\"original\",\"status\":\"offline\",\"stats\":{\"a\":1,\"b\":{\"c\":2}}}"));
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(Json.at(watcher.tree(), "od"))
        .as("watcher's /od after the other socket dropped\n%s", watcher.transcript()).isEqualTo(expected));
  }

  /** .sv placeholders are resolved by the server and the resolved values are pushed (also to the writer). */
  @Test
  void serverValuesAreResolvedAndEchoed() {
    RawClient c = connect("c");
    assertOk(c, c.await(c.listen("/sv"), "listen"), "listen /sv");
    long t0 = System.currentTimeMillis();
    assertOk(c, c.call("p", body("{\"p\":\"/sv\",\"d\":{\"t\":{\".sv\":\"timestamp\"},\"n\":{\".sv\":{\"increment\":2}}}}")),
        "put with .sv");
    assertOk(c, c.call("m", body("{\"p\":\"/sv\",\"d\":{\"n\":{\".sv\":{\"increment\":3}}}}")), "merge increment");
    JsonNode sv = Json.at(c.tree(), "sv");
    assertThat(sv.path("t").isNumber()).as("resolved timestamp pushed to the writer: %s", sv).isTrue();
    assertThat(sv.path("t").asLong()).isBetween(t0 - 60_000, System.currentTimeMillis() + 60_000);
    assertThat(sv.path("n").asInt()).as("2 then +3").isEqualTo(5);
  }

  private static String b64(String json) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }
}
