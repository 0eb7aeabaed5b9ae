package io.canopy.server.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.canopy.server.CanopyServer;
import io.canopy.server.ServerConfig;
import io.canopy.server.testing.RestClient;
import io.canopy.server.testing.WsClient;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Security rules end to end: one rules document ({@code rules/suite-rules.json}) and a table of cases, each run
 * over REST and over the WebSocket protocol against its own namespace, so both entry points give the same verdict
 * for the same request in the same state. Plus rules updates: bad documents are refused and change nothing; a
 * listen or event stream that loses its permission is revoked.
 */
class RulesIT {
  private static final String SEED = """
      {"public": {"msg": "hello"},
       "users": {"alice": {"name": "Alice", "age": 30}, "bob": {"name": "Bob"}},
       "posts": {"p1": {"author": "alice", "text": "hi"}},
       "counters": {"c1": 5},
       "members": {"room1": {"alice": true}},
       "rooms": {"room1": {"messages": {"m1": "first"}}, "room2": {"title": "secret"}},
       "locked": {"inner": {"v": 1}},
       "secret": {"x": 1},
       "limited": {"a": 1, "b": 2, "c": 3}}""";

  @TempDir
  static Path dataDir;
  private static CanopyServer server;
  private static RestClient rest;
  private static String suiteRules;

  /** Who sends a request: a token (null = unauthenticated) understood by the dev-mode server. */
  enum Who {
    ANON(null),
    OWNER("owner"),
    ALICE(unsigned("{\"sub\":\"alice\"}")),
    BOB(unsigned("{\"sub\":\"bob\"}")),
    ROOT(unsigned("{\"sub\":\"root\",\"admin\":true}")),
    PW(unsigned("{\"sub\":\"pwuser\",\"email_verified\":true,\"firebase\":{\"sign_in_provider\":\"password\"}}")),
    AL(unsigned("{\"sub\":\"al\"}"));

    final String token;

    Who(String token) {
      this.token = token;
    }
  }

  enum Op { READ, QUERY, SET, UPDATE, REMOVE }

  /** One request and the verdict the rules must give. {@code query} is {rest params, wire query}. */
  record Case(Who who, Op op, String path, String data, String[] query, boolean allowed) {
    @Override
    public String toString() {
      return who + " " + op + " " + path + (data == null ? "" : " " + data)
          + (query == null ? "" : " ?" + query[0]) + " -> " + (allowed ? "allowed" : "denied");
    }
  }

  private static final String[] KEY_FIRST_2 = {"orderBy=%22%24key%22&limitToFirst=2", "{\"i\":\".key\",\"l\":2,\"vf\":\"l\"}"};
  private static final String[] KEY_FIRST_3 = {"orderBy=%22%24key%22&limitToFirst=3", "{\"i\":\".key\",\"l\":3,\"vf\":\"l\"}"};
  private static final String[] VALUE_FIRST_1 =
      {"orderBy=%22%24value%22&limitToFirst=1", "{\"i\":\".value\",\"l\":1,\"vf\":\"l\"}"};

  private static Case read(Who who, String path, boolean allowed) {
    return new Case(who, Op.READ, path, null, null, allowed);
  }

  private static Case query(Who who, String path, String[] q, boolean allowed) {
    return new Case(who, Op.QUERY, path, null, q, allowed);
  }

  private static Case set(Who who, String path, String data, boolean allowed) {
    return new Case(who, Op.SET, path, data, null, allowed);
  }

  private static Case update(Who who, String path, String data, boolean allowed) {
    return new Case(who, Op.UPDATE, path, data, null, allowed);
  }

  private static Case remove(Who who, String path, boolean allowed) {
    return new Case(who, Op.REMOVE, path, null, null, allowed);
  }

  /** In order: later cases see the writes earlier ones were allowed to make. */
  static List<Case> cases() {
    Who anon = Who.ANON;
    Who alice = Who.ALICE;
    Who bob = Who.BOB;
    return List.of(
        // reads: grants cascade down, nothing is a filter
        read(anon, "/public", true),
        read(anon, "/public/msg", true),
        read(anon, "/secret", false),
        read(anon, "/", false),
        read(alice, "/users/alice", true),
        read(alice, "/users/alice/name", true),
        read(alice, "/users/bob", false),
        read(bob, "/users/alice", false),
        read(anon, "/users/alice", false),
        read(alice, "/users", false),
        read(Who.ROOT, "/admins", true),
        read(alice, "/admins", false),
        read(anon, "/posts", true),
        read(alice, "/rooms/room1", true),
        read(bob, "/rooms/room1", false),
        read(alice, "/rooms/room2", false),
        read(alice, "/rooms", false),
        read(alice, "/members", true),
        read(anon, "/members", false),
        read(Who.OWNER, "/secret", true),
        // query.* in read rules
        query(anon, "/limited", KEY_FIRST_2, true),
        query(anon, "/limited", KEY_FIRST_3, false),
        query(anon, "/limited", VALUE_FIRST_1, false),
        read(anon, "/limited", false),
        // writes: auth and $wildcards
        set(anon, "/public/x", "\"a\"", false),
        set(alice, "/public/x", "\"a\"", true),
        set(alice, "/users/alice/name", "\"Al\"", true),
        set(alice, "/users/bob/name", "\"Eve\"", false),
        set(anon, "/users/alice/name", "\"Eve\"", false),
        // .validate on every written node, skipped for deletes
        set(alice, "/users/alice/name", "\"\"", false),
        set(alice, "/users/alice/name", "5", false),
        set(alice, "/users/alice/name", "\"" + "x".repeat(21) + "\"", false),
        set(alice, "/users/alice/age", "31", true),
        set(alice, "/users/alice/age", "-1", false),
        set(alice, "/users/alice/age", "\"old\"", false),
        set(alice, "/users/alice/email", "\"a@b.c\"", true),
        set(alice, "/users/alice/email", "\"nope\"", false),
        set(alice, "/users/alice/nick", "\"x\"", false),
        remove(alice, "/users/alice/age", true),
        set(alice, "/users/alice", "{\"name\":\"A\",\"age\":1}", true),
        set(alice, "/users/alice", "{\"name\":\"A\",\"shoe\":1}", false),
        // multi-path updates are judged as a whole
        update(alice, "/users/alice", "{\"name\":\"Alicia\",\"age\":32}", true),
        update(alice, "/users/alice", "{\"name\":\"Alicia\",\"nick\":\"x\"}", false),
        update(alice, "/", "{\"users/alice/age\":40,\"users/bob/age\":41}", false),
        update(alice, "/", "{\"users/alice/age\":40,\"public/y\":\"z\"}", true),
        // data, newData, hasChildren, now (server values resolve before the rules see them)
        set(alice, "/posts/p2", "{\"author\":\"alice\",\"text\":\"new\"}", true),
        set(bob, "/posts/p2/text", "\"hijack\"", false),
        set(bob, "/posts/p3", "{\"author\":\"alice\",\"text\":\"fake\"}", false),
        set(bob, "/posts/p3", "{\"author\":\"bob\"}", false),
        set(bob, "/posts/p3", "{\"author\":\"bob\",\"text\":\"" + "x".repeat(100) + "\"}", false),
        set(bob, "/posts/p3", "{\"author\":\"bob\",\"text\":\"ok\",\"created\":{\".sv\":\"timestamp\"}}", true),
        set(bob, "/posts/p4", "{\"author\":\"bob\",\"text\":\"ok\",\"created\":99999999999999}", false),
        set(alice, "/posts/p1/text", "\"edited\"", true),
        remove(bob, "/posts/p1", false),
        remove(alice, "/posts/p1", true),
        // data.val() arithmetic
        set(alice, "/counters/c1", "6", true),
        set(alice, "/counters/c1", "8", false),
        set(alice, "/counters/c1", "\"7\"", false),
        set(alice, "/counters/c2", "100", true),
        update(alice, "/counters", "{\"c1\":7,\"c2\":101}", true),
        update(alice, "/counters", "{\"c1\":8,\"c2\":200}", false),
        // root.child(...) and auth.token claims
        set(Who.ROOT, "/members/room2/bob", "true", true),
        set(alice, "/members/room2/alice", "true", false),
        set(alice, "/rooms/room1/messages/m2", "\"hi\"", true),
        set(alice, "/rooms/room1/messages/m1", "\"overwrite\"", false),
        set(bob, "/rooms/room1/messages/m3", "\"hi\"", false),
        set(bob, "/rooms/room2/messages/m3", "\"hi\"", true),
        read(bob, "/rooms/room2", true),
        // a grant above cannot be revoked below
        set(alice, "/locked/inner/v", "2", true),
        set(anon, "/locked/inner/v", "2", false),
        // string methods
        set(alice, "/strings/a", "\"ok computer\"", true),
        set(alice, "/strings/b", "\"wow!\"", true),
        set(alice, "/strings/c", "\"oh yes it is\"", true),
        set(alice, "/strings/d", "\"nope\"", false),
        set(alice, "/lower/a", "\"abc\"", true),
        set(alice, "/lower/b", "\"Abc\"", false),
        set(alice, "/lower/c", "\"123\"", false),
        set(alice, "/replaced/a", "\"a-bc\"", true),
        set(alice, "/replaced/b", "\"abd\"", false),
        // auth.provider, token claims, ?:
        set(Who.PW, "/bools/x", "true", true),
        set(Who.PW, "/bools/y", "\"true\"", false),
        set(alice, "/bools/z", "true", false),
        set(Who.PW, "/verified", "\"v\"", true),
        set(alice, "/verified", "\"v\"", false),
        set(alice, "/ternary", "1", true),
        set(Who.AL, "/ternary", "1", false),
        set(anon, "/ternary", "1", false),
        // types and priorities
        set(alice, "/typed/a", "1", true),
        set(alice, "/typed/b", "\"s\"", true),
        set(alice, "/typed/c", "false", true),
        set(alice, "/typed/d", "{\"x\":1}", false),
        set(alice, "/withprio/a", "{\".value\":1,\".priority\":5}", true),
        set(alice, "/withprio/b", "{\".value\":1,\".priority\":50}", false),
        set(alice, "/children", "{\"required\":1,\"other\":2}", true),
        set(alice, "/children", "{\"other\":2}", false),
        remove(alice, "/children", true),
        // admins bypass the rules; the root is closed to everyone else
        set(Who.ROOT, "/admins/x", "1", true),
        set(alice, "/admins/x", "1", false),
        set(Who.OWNER, "/secret/y", "2", true),
        remove(alice, "/", false),
        set(bob, "/anything", "1", false));
  }

  @BeforeAll
  static void start() throws IOException {
    server = CanopyServer.start(ServerConfig.defaults().withDataDir(dataDir).withListen("127.0.0.1", 0));
    rest = new RestClient(server.url());
    try (InputStream in = RulesIT.class.getResourceAsStream("/rules/suite-rules.json")) {
      suiteRules = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  private static String unsigned(String claims) {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    return b64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
        + b64.encodeToString(claims.getBytes(StandardCharsets.UTF_8)) + ".";
  }

  private static String auth(Who who) {
    return who.token == null ? "" : "auth=" + URLEncoder.encode(who.token, StandardCharsets.UTF_8);
  }

  private static String url(String ns, String path, String... params) {
    StringBuilder sb = new StringBuilder(path.equals("/") ? "/.json" : path + ".json").append("?ns=").append(ns);
    for (String p : params) {
      if (!p.isEmpty()) {
        sb.append('&').append(p);
      }
    }
    return sb.toString();
  }

  private static void putRules(String ns, String rules) {
    RestClient.Response r = rest.put(url(ns, "/.settings/rules", "auth=owner").replace("/.settings/rules.json",
        "/.settings/rules.json"), rules);
    assertThat(r.status()).as("PUT rules: %s", r.body()).isEqualTo(200);
  }

  private static void prepare(String ns) {
    putRules(ns, suiteRules);
    RestClient.Response seeded = rest.put(url(ns, "/", "auth=owner"), SEED);
    assertThat(seeded.status()).as(seeded.body()).isEqualTo(200);
  }

  @Test
  void everyCaseOverRest() {
    String ns = "rules-rest";
    prepare(ns);
    List<String> wrong = new ArrayList<>();
    for (Case c : cases()) {
      RestClient.Response r = switch (c.op()) {
        case READ -> rest.get(url(ns, c.path(), auth(c.who())));
        case QUERY -> rest.get(url(ns, c.path(), auth(c.who()), c.query()[0]));
        case SET -> rest.put(url(ns, c.path(), auth(c.who())), c.data());
        case UPDATE -> rest.patch(url(ns, c.path(), auth(c.who())), c.data());
        case REMOVE -> rest.delete(url(ns, c.path(), auth(c.who())));
      };
      boolean allowed = r.status() == 200;
      if (allowed != c.allowed()) {
        wrong.add(c + " but got " + r.status() + " " + r.body());
      } else if (!allowed) {
        if (r.status() != 401 || !r.json().path("error").asText().equals("Permission denied")) {
          wrong.add(c + " but the denial was " + r.status() + " " + r.body());
        }
      }
    }
    assertThat(wrong).as("cases with the wrong verdict over REST").isEmpty();
    assertThat(cases()).hasSizeGreaterThanOrEqualTo(100);
  }

  @Test
  void everyCaseOverWebSocket() throws Exception {
    String ns = "rules-ws";
    prepare(ns);
    Map<Who, WsClient> clients = new HashMap<>();
    List<String> wrong = new ArrayList<>();
    try {
      for (Case c : cases()) {
        WsClient ws = clients.get(c.who());
        if (ws == null) {
          ws = WsClient.connect(server.port(), ns);
          clients.put(c.who(), ws);
          if (c.who().token != null) {
            JsonNode authed = ws.call("auth", "{\"cred\":\"" + c.who().token + "\"}");
            assertThat(authed.path("s").asText()).as("auth of %s: %s", c.who(), authed).isEqualTo("ok");
          }
        }
        String p = "\"" + c.path() + "\"";
        JsonNode reply = switch (c.op()) {
          case READ -> ws.call("q", "{\"p\":" + p + ",\"h\":\"\"}");
          case QUERY -> ws.call("q", "{\"p\":" + p + ",\"h\":\"\",\"q\":" + c.query()[1] + ",\"t\":7}");
          case SET -> ws.call("p", "{\"p\":" + p + ",\"d\":" + c.data() + "}");
          case UPDATE -> ws.call("m", "{\"p\":" + p + ",\"d\":" + c.data() + "}");
          case REMOVE -> ws.call("p", "{\"p\":" + p + ",\"d\":null}");
        };
        String status = reply.path("s").asText();
        boolean allowed = status.equals("ok");
        if (allowed != c.allowed()) {
          wrong.add(c + " but got " + reply);
        } else if (!allowed && !status.equals("permission_denied")) {
          wrong.add(c + " but the denial was " + reply);
        }
        if (allowed && (c.op() == Op.READ || c.op() == Op.QUERY)) {
          String q = c.op() == Op.QUERY ? ",\"q\":" + c.query()[1] : "";
          ws.call("n", "{\"p\":" + p + q + "}");
        }
      }
    } finally {
      clients.values().forEach(WsClient::close);
    }
    assertThat(wrong).as("cases with the wrong verdict over WebSocket").isEmpty();
  }

  @Test
  void rulesAreForAdminsAndABadDocumentChangesNothing() {
    String ns = "rules-admin";
    prepare(ns);
    assertThat(rest.get("/.settings/rules.json?ns=" + ns).status()).isEqualTo(401);
    assertThat(rest.get("/.settings/rules.json?ns=" + ns + "&" + auth(Who.ALICE)).status()).isEqualTo(401);
    assertThat(rest.put("/.settings/rules.json?ns=" + ns + "&" + auth(Who.ALICE), "{\"rules\":{}}").status())
        .isEqualTo(401);
    RestClient.Response got = rest.get("/.settings/rules.json?ns=" + ns + "&auth=owner");
    assertThat(got.status()).isEqualTo(200);
    assertThat(got.body()).isEqualTo(suiteRules);

    RestClient.Response bad = rest.put("/.settings/rules.json?ns=" + ns + "&auth=owner",
        "{\n  \"rules\": {\n    \".read\": \"auth.uid ==\"\n  }\n}");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.json().path("error").asText()).containsIgnoringCase("line 3");
    assertThat(rest.put("/.settings/rules.json?ns=" + ns + "&auth=owner", "not json").status()).isEqualTo(400);
    assertThat(rest.get("/.settings/rules.json?ns=" + ns + "&auth=owner").body()).isEqualTo(suiteRules);
    assertThat(rest.get(url(ns, "/public", "")).status()).isEqualTo(200);
    assertThat(rest.get(url(ns, "/secret", "")).status()).isEqualTo(401);

    // A namespace without rules of its own has the server's default (here: everything allowed).
    assertThat(rest.get("/.settings/rules.json?ns=rules-none&auth=owner").body()).contains("\".read\": true");
    assertThat(rest.put(url("rules-none", "/x", ""), "1").status()).isEqualTo(200);
  }

  @Test
  void aRulesUpdateAppliesFromItsPositionInTheLog() {
    String ns = "rules-order";
    prepare(ns);
    assertThat(rest.put(url(ns, "/public/a", auth(Who.ALICE)), "1").status()).isEqualTo(200);
    putRules(ns, "{\"rules\":{\"public\":{\".read\":true}}}");
    assertThat(rest.put(url(ns, "/public/a", auth(Who.ALICE)), "2").status()).isEqualTo(401);
    assertThat(rest.get(url(ns, "/public/a", "")).body()).isEqualTo("1");
    putRules(ns, suiteRules);
    assertThat(rest.put(url(ns, "/public/a", auth(Who.ALICE)), "3").status()).isEqualTo(200);
  }

  @Test
  void aListenThatLosesItsPermissionIsRevoked() throws Exception {
    String ns = "rules-revoke";
    prepare(ns);
    try (WsClient alice = WsClient.connect(server.port(), ns); WsClient anon = WsClient.connect(server.port(), ns)) {
      assertThat(alice.call("auth", "{\"cred\":\"" + Who.ALICE.token + "\"}").path("s").asText()).isEqualTo("ok");
      assertThat(alice.call("q", "{\"p\":\"/users/alice\",\"h\":\"\"}").path("s").asText()).isEqualTo("ok");
      assertThat(alice.call("q", "{\"p\":\"/public\",\"h\":\"\"}").path("s").asText()).isEqualTo("ok");
      assertThat(anon.call("q", "{\"p\":\"/public\",\"h\":\"\"}").path("s").asText()).isEqualTo("ok");

      // Signing out revokes what needed the credential, and only that.
      alice.request("unauth", "{}");
      JsonNode revoked = alice.awaitMessage(m -> m.path("d").path("a").asText().equals("c"));
      assertThat(revoked.path("d").path("b").path("p").asText()).isEqualTo("users/alice");

      // A rules change revokes listens it no longer allows.
      putRules(ns, "{\"rules\":{\"users\":{\".read\":true}}}");
      JsonNode revokedPublic = anon.awaitMessage(m -> m.path("d").path("a").asText().equals("c"));
      assertThat(revokedPublic.path("d").path("b").path("p").asText()).isEqualTo("public");
      // Pushes for the revoked location stop; the connection stays usable.
      assertThat(anon.call("q", "{\"p\":\"/users\",\"h\":\"\"}").path("s").asText()).isEqualTo("ok");
    }
  }

  @Test
  void anEventStreamThatLosesItsPermissionIsCancelled() throws Exception {
    String ns = "rules-sse";
    prepare(ns);
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    HttpClient http = HttpClient.newHttpClient();
    HttpRequest req = HttpRequest.newBuilder(URI.create(server.url() + url(ns, "/public", auth(Who.ALICE))))
        .header("Accept", "text/event-stream").timeout(Duration.ofSeconds(60)).build();
    http.sendAsync(req, HttpResponse.BodyHandlers.ofLines()).thenAccept(resp -> resp.body().forEach(lines::add));
    await().atMost(Duration.ofSeconds(30)).until(() -> lines.contains("event: put"));
    RestClient.Response denied = rest.get(url(ns, "/secret", auth(Who.ALICE)));
    assertThat(denied.status()).isEqualTo(401);

    putRules(ns, "{\"rules\":{}}");
    String line;
    boolean cancelled = false;
    while ((line = lines.poll(30, TimeUnit.SECONDS)) != null) {
      if (line.equals("event: cancel")) {
        cancelled = true;
        break;
      }
    }
    assertThat(cancelled).as("a cancel event").isTrue();
  }

  @Test
  void webSocketQueriesWithoutAnIndexAreServedWithTheNoIndexWarning() throws Exception {
    String ns = "rules-index";
    prepare(ns);
    try (WsClient ws = WsClient.connect(server.port(), ns)) {
      JsonNode indexed = ws.call("q", "{\"p\":\"/posts\",\"h\":\"\",\"t\":1,\"q\":{\"i\":\"author\",\"l\":1,\"vf\":\"l\"}}");
      assertThat(indexed.path("s").asText()).isEqualTo("ok");
      assertThat(indexed.path("d").has("w")).isFalse();
      JsonNode unindexed = ws.call("q", "{\"p\":\"/posts\",\"h\":\"\",\"t\":2,\"q\":{\"i\":\"text\",\"l\":1,\"vf\":\"l\"}}");
      assertThat(unindexed.path("s").asText()).isEqualTo("ok");
      assertThat(unindexed.path("d").path("w").get(0).asText()).isEqualTo("no_index");
      JsonNode byKey = ws.call("q", "{\"p\":\"/posts\",\"h\":\"\",\"t\":3,\"q\":{\"i\":\".key\",\"l\":1,\"vf\":\"l\"}}");
      assertThat(byKey.path("d").has("w")).isFalse();
    }
    // dev mode serves the same query over REST
    assertThat(rest.get(url(ns, "/posts", "orderBy=%22text%22&limitToFirst=1")).status()).isEqualTo(200);
  }
}
