package io.canopy.core.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.canopy.core.json.TreeJson;
import io.canopy.core.path.Path;
import io.canopy.core.tree.Node;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RulesEvaluatorTest {
  private static final long NOW = 1_700_000_000_000L;
  private static final AuthContext ALICE = AuthContext.of("alice");
  private static final AuthContext BOB = AuthContext.of("bob");

  private static RulesEvaluator rules(String rulesJson) {
    return new RulesEvaluator(RulesParser.parse("{\"rules\": " + rulesJson + "}"));
  }

  private static Node tree(String json) {
    return TreeJson.parse(json);
  }

  private static Path p(String path) {
    return Path.parse(path);
  }

  private static Decision read(RulesEvaluator ev, String path, Node root, AuthContext auth) {
    return ev.canRead(p(path), root, auth, QueryParams.NONE, NOW);
  }

  /** A set of {@code valueJson} at {@code path}. */
  private static Decision set(RulesEvaluator ev, Node root, String path, String valueJson, AuthContext auth) {
    Node newRoot = root.set(p(path), tree(valueJson));
    return ev.canWrite(p(path), root, newRoot, auth, NOW);
  }

  // ---- reads ----

  @Test
  void userOwnedData() {
    RulesEvaluator ev = rules("{\"users\": {\"$uid\": {\".read\": \"auth != null && auth.uid == $uid\"}}}");
    Node root = tree("{\"users\": {\"alice\": {\"x\": 1}}}");
    Decision ok = read(ev, "/users/alice", root, ALICE);
    assertThat(ok.allowed()).isTrue();
    assertThat(ok.rulePath()).isEqualTo("/users/$uid");
    assertThat(read(ev, "/users/alice/x", root, ALICE).allowed()).isTrue();
    assertThat(read(ev, "/users/alice", root, BOB).allowed()).isFalse();
    Decision anon = read(ev, "/users/alice", root, null);
    assertThat(anon.allowed()).isFalse();
    assertThat(anon.reason()).startsWith("No .read rule granted access to /users/alice");
  }

  @Test
  void readGrantCascadesAndCannotBeRevoked() {
    RulesEvaluator ev = rules("{\"a\": {\".read\": true, \"b\": {\".read\": false}}}");
    Node root = tree("{\"a\": {\"b\": {\"c\": 1}}}");
    Decision d = read(ev, "/a/b/c", root, null);
    assertThat(d.allowed()).isTrue();
    assertThat(d.rulePath()).isEqualTo("/a");
  }

  @Test
  void rulesAreNotFilters() {
    RulesEvaluator ev = rules("{\"a\": {\"b\": {\".read\": true}}}");
    Node root = tree("{\"a\": {\"b\": 1, \"c\": 2}}");
    assertThat(read(ev, "/a/b", root, null).allowed()).isTrue();
    assertThat(read(ev, "/a", root, null).allowed()).isFalse();
    assertThat(read(ev, "/", root, null).allowed()).isFalse();
    assertThat(read(ev, "/a/c", root, null).allowed()).isFalse();
  }

  @Test
  void noRulesDenies() {
    RulesEvaluator ev = rules("{}");
    assertThat(read(ev, "/", Node.empty(), ALICE).allowed()).isFalse();
    assertThat(set(ev, Node.empty(), "/a", "1", ALICE).allowed()).isFalse();
  }

  @Test
  void allowAllAndDenyAll() {
    Node root = tree("{\"a\": 1}");
    assertThat(new RulesEvaluator(RuleSet.allowAll()).canRead(p("/a"), root, null, null, NOW).allowed()).isTrue();
    assertThat(set(new RulesEvaluator(RuleSet.allowAll()), root, "/a", "2", null).allowed()).isTrue();
    assertThat(new RulesEvaluator(RuleSet.denyAll()).canRead(p("/a"), root, null, null, NOW).allowed()).isFalse();
    assertThat(set(new RulesEvaluator(RuleSet.denyAll()), root, "/a", "2", null).allowed()).isFalse();
  }

  @Test
  void adminLookupInRoot() {
    RulesEvaluator ev = rules("{\".read\": \"root.child('admins').child(auth.uid).exists()\"}");
    Node root = tree("{\"admins\": {\"alice\": true}, \"data\": 1}");
    assertThat(read(ev, "/data", root, ALICE).allowed()).isTrue();
    assertThat(read(ev, "/data", root, BOB).allowed()).isFalse();
    assertThat(read(ev, "/data", root, null).allowed()).isFalse(); // auth.uid on null: error, deny
  }

  @Test
  void queryBasedRules() {
    RulesEvaluator ev = rules("{\"items\": {\".read\": "
        + "\"query.orderByChild == 'owner' && query.equalTo == auth.uid\"}}");
    Node root = tree("{\"items\": {\"i1\": {\"owner\": \"alice\"}}}");
    QueryParams own = QueryParams.orderByChild("owner").withEqualTo("alice");
    assertThat(ev.canRead(p("/items"), root, ALICE, own, NOW).allowed()).isTrue();
    assertThat(ev.canRead(p("/items"), root, BOB, own, NOW).allowed()).isFalse();
    assertThat(ev.canRead(p("/items"), root, ALICE, QueryParams.NONE, NOW).allowed()).isFalse();
    RulesEvaluator limited = rules("{\"feed\": {\".read\": \"query.limitToFirst <= 50\"}}");
    assertThat(limited.canRead(p("/feed"), root, null, QueryParams.NONE.withLimitToFirst(10), NOW).allowed())
        .isTrue();
    assertThat(limited.canRead(p("/feed"), root, null, QueryParams.NONE.withLimitToFirst(100), NOW).allowed())
        .isFalse();
    assertThat(limited.canRead(p("/feed"), root, null, QueryParams.NONE, NOW).allowed()).isFalse();
  }

  @Test
  void wildcardsCaptureKeysAtEveryLevel() {
    RulesEvaluator ev = rules("{\"rooms\": {\"$room\": {\"messages\": {\"$msg\": {"
        + "\".read\": \"$room == 'public' && $msg.beginsWith('m')\"}}}}}");
    Node root = Node.empty();
    assertThat(read(ev, "/rooms/public/messages/m1", root, null).allowed()).isTrue();
    assertThat(read(ev, "/rooms/private/messages/m1", root, null).allowed()).isFalse();
    assertThat(read(ev, "/rooms/public/messages/x1", root, null).allowed()).isFalse();
  }

  @Test
  void literalSiblingTakesPrecedenceOverWildcard() {
    RulesEvaluator ev = rules("{\"$any\": {\".read\": true}, \"secret\": {\".read\": false}}");
    assertThat(read(ev, "/open", Node.empty(), null).allowed()).isTrue();
    assertThat(read(ev, "/secret", Node.empty(), null).allowed()).isFalse();
  }

  @Test
  void readEvaluationErrorsDenyAndAreReported() {
    RulesEvaluator ev = rules("{\".read\": \"auth.uid == 'x'\"}");
    Decision d = read(ev, "/", Node.empty(), null);
    assertThat(d.allowed()).isFalse();
    assertThat(d.reason()).contains("evaluation errors: /: no property 'uid' on null");
  }

  @Test
  void dataIsTheRuleLocation() {
    RulesEvaluator ev = rules("{\"docs\": {\"$id\": {\".read\": \"data.child('public').val() == true\"}}}");
    Node root = tree("{\"docs\": {\"d1\": {\"public\": true}, \"d2\": {\"public\": false}}}");
    assertThat(read(ev, "/docs/d1", root, null).allowed()).isTrue();
    assertThat(read(ev, "/docs/d2", root, null).allowed()).isFalse();
    assertThat(read(ev, "/docs/d1/public", root, null).allowed()).isTrue();
  }

  @Test
  void nowInReadRules() {
    RulesEvaluator ev = rules("{\"events\": {\"$e\": {\".read\": \"data.child('until').val() > now\"}}}");
    Node root = tree("{\"events\": {\"old\": {\"until\": 1}, \"new\": {\"until\": 9999999999999}}}");
    assertThat(read(ev, "/events/new", root, null).allowed()).isTrue();
    assertThat(read(ev, "/events/old", root, null).allowed()).isFalse();
  }

  // ---- writes ----

  @Test
  void writeGrantCascadesAndDeeperFalseCannotRevoke() {
    RulesEvaluator ev = rules("{\"a\": {\".write\": true, \"b\": {\".write\": false}}}");
    Decision d = set(ev, Node.empty(), "/a/b", "1", null);
    assertThat(d.allowed()).isTrue();
    assertThat(d.rulePath()).isEqualTo("/a");
  }

  @Test
  void userCanOnlyWriteOwnNode() {
    RulesEvaluator ev = rules("{\"users\": {\"$uid\": {\".write\": \"auth.uid == $uid\"}}}");
    assertThat(set(ev, Node.empty(), "/users/alice", "{\"n\": 1}", ALICE).allowed()).isTrue();
    assertThat(set(ev, Node.empty(), "/users/alice/n", "1", ALICE).allowed()).isTrue();
    assertThat(set(ev, Node.empty(), "/users/alice", "{\"n\": 1}", BOB).allowed()).isFalse();
  }

  @Test
  void writeAboveIsAllowedWhenEveryChangedChildIsGranted() {
    RulesEvaluator ev = rules("{\"users\": {\"$uid\": {\".write\": \"auth.uid == $uid\"}}}");
    Node root = tree("{\"users\": {\"alice\": {\"n\": 1}, \"bob\": {\"n\": 2}}}");
    // Set /users with only alice's subtree changed: granted by /users/$uid for alice.
    Decision ok = set(ev, root, "/users", "{\"alice\": {\"n\": 5}, \"bob\": {\"n\": 2}}", ALICE);
    assertThat(ok.allowed()).isTrue();
    assertThat(ok.rulePath()).isEqualTo("/users/$uid");
    // Changing bob's subtree too is denied.
    assertThat(set(ev, root, "/users", "{\"alice\": {\"n\": 5}, \"bob\": {\"n\": 3}}", ALICE).allowed()).isFalse();
    // Deleting bob (a changed child) is denied; adding carol is denied.
    assertThat(set(ev, root, "/users", "{\"alice\": {\"n\": 1}}", ALICE).allowed()).isFalse();
    assertThat(set(ev, root, "/users", "{\"alice\": {\"n\": 1}, \"bob\": {\"n\": 2}, \"carol\": 1}", ALICE)
        .allowed()).isFalse();
  }

  @Test
  void unchangedWriteNeedsAGrantAtOrAbove() {
    RulesEvaluator ev = rules("{\"a\": {\"b\": {\".write\": true}}}");
    Node root = tree("{\"a\": {\"b\": 1}}");
    assertThat(set(ev, root, "/a", "{\"b\": 1}", null).allowed()).isFalse();
    assertThat(set(ev, root, "/a", "{\"b\": 2}", null).allowed()).isTrue();
  }

  @Test
  void deeperGrantDoesNotCoverReplacingALeafOrChangingPriority() {
    RulesEvaluator ev = rules("{\"a\": {\"$k\": {\".write\": true}}}");
    Node leafRoot = tree("{\"a\": \"leaf\"}");
    assertThat(set(ev, leafRoot, "/a", "{\"x\": 1}", null).allowed()).isFalse();
    Node objRoot = tree("{\"a\": {\"x\": 1}}");
    assertThat(set(ev, objRoot, "/a", "{\"x\": 2, \".priority\": 3}", null).allowed()).isFalse();
    assertThat(set(ev, objRoot, "/a", "{\"x\": 2}", null).allowed()).isTrue();
  }

  @Test
  void changedChildWithoutRulesDenies() {
    RulesEvaluator ev = rules("{\"a\": {\"b\": {\".write\": true}}}");
    assertThat(set(ev, Node.empty(), "/a", "{\"b\": 1, \"c\": 2}", null).allowed()).isFalse();
    assertThat(set(ev, Node.empty(), "/a", "{\"b\": 1}", null).allowed()).isTrue();
  }

  @Test
  void deepGrantsAreCheckedRecursively() {
    RulesEvaluator ev = rules("{\"a\": {\"$x\": {\"$y\": {\".write\": \"$y == 'ok'\"}}}}");
    assertThat(set(ev, Node.empty(), "/a", "{\"p\": {\"ok\": 1}, \"q\": {\"ok\": 2}}", null).allowed()).isTrue();
    assertThat(set(ev, Node.empty(), "/a", "{\"p\": {\"ok\": 1, \"no\": 2}}", null).allowed()).isFalse();
  }

  @Test
  void deleteRequiresExistingDataAndNoNewData() {
    RulesEvaluator ev = rules("{\"items\": {\"$id\": {\".write\": \"data.exists() && !newData.exists()\"}}}");
    Node root = tree("{\"items\": {\"i1\": 1}}");
    Decision del = ev.canWrite(p("/items/i1"), root, root.set(p("/items/i1"), Node.empty()), null, NOW);
    assertThat(del.allowed()).isTrue();
    assertThat(set(ev, root, "/items/i1", "2", null).allowed()).isFalse();
    assertThat(set(ev, root, "/items/i2", "2", null).allowed()).isFalse();
  }

  @Test
  void createOnlyRule() {
    RulesEvaluator ev = rules("{\"posts\": {\"$id\": {\".write\": \"!data.exists()\"}}}");
    Node root = tree("{\"posts\": {\"p1\": \"x\"}}");
    assertThat(set(ev, root, "/posts/p2", "\"y\"", null).allowed()).isTrue();
    assertThat(set(ev, root, "/posts/p1", "\"y\"", null).allowed()).isFalse();
  }

  @Test
  void newDataAtTheRuleLocationUnderAChildWrite() {
    RulesEvaluator ev = rules("{\"users\": {\"$uid\": {\".write\": \"newData.child('name').val() == 'ok'\"}}}");
    Node root = tree("{\"users\": {\"u\": {\"name\": \"old\", \"x\": 1}}}");
    assertThat(set(ev, root, "/users/u/name", "\"ok\"", null).allowed()).isTrue();
    assertThat(set(ev, root, "/users/u/x", "2", null).allowed()).isFalse();
  }

  @Test
  void timestampMustBeNow() {
    RulesEvaluator ev = rules("{\"msgs\": {\"$m\": {\".write\": true, "
        + "\".validate\": \"newData.child('ts').val() <= now\"}}}");
    assertThat(set(ev, Node.empty(), "/msgs/m1", "{\"ts\": " + NOW + "}", null).allowed()).isTrue();
    assertThat(set(ev, Node.empty(), "/msgs/m1", "{\"ts\": " + (NOW + 1) + "}", null).allowed()).isFalse();
  }

  @Test
  void writeDeniedReasonMentionsPath() {
    RulesEvaluator ev = rules("{\".write\": false}");
    Decision d = set(ev, Node.empty(), "/a/b", "1", null);
    assertThat(d.allowed()).isFalse();
    assertThat(d.rulePath()).isNull();
    assertThat(d.reason()).isEqualTo("No .write rule granted access to /a/b");
  }

  @Test
  void priorityWriteIsCheckedAtTheParent() {
    RulesEvaluator ev = rules("{\"a\": {\".write\": \"auth != null\"}}");
    Node root = tree("{\"a\": 1}");
    Path prio = Path.parseWrite("/a/.priority");
    Node newRoot = root.set(prio, tree("5"));
    assertThat(ev.canWrite(prio, root, newRoot, ALICE, NOW).allowed()).isTrue();
    assertThat(ev.canWrite(prio, root, newRoot, null, NOW).allowed()).isFalse();
  }

  // ---- validate ----

  private static final String PROFILE_RULES = """
      {"users": {"$uid": {
         ".write": "auth.uid == $uid",
         ".validate": "newData.hasChildren(['name', 'age'])",
         "name": {".validate": "newData.isString() && newData.val().length > 0"},
         "age": {".validate": "newData.isNumber() && newData.val() >= 0"},
         "$other": {".validate": false}
      }}}""";

  @Test
  void validateRequiredChildrenAndTypes() {
    RulesEvaluator ev = rules(PROFILE_RULES);
    assertThat(set(ev, Node.empty(), "/users/alice", "{\"name\": \"A\", \"age\": 3}", ALICE).allowed()).isTrue();
    assertThat(set(ev, Node.empty(), "/users/alice", "{\"name\": \"A\"}", ALICE).allowed()).isFalse();
    assertThat(set(ev, Node.empty(), "/users/alice", "{\"name\": \"A\", \"age\": -1}", ALICE).allowed()).isFalse();
    assertThat(set(ev, Node.empty(), "/users/alice", "{\"name\": \"A\", \"age\": \"3\"}", ALICE).allowed())
        .isFalse();
    assertThat(set(ev, Node.empty(), "/users/alice", "{\"name\": \"\", \"age\": 3}", ALICE).allowed()).isFalse();
  }

  @Test
  void validateFailureNamesTheRuleAndNode() {
    RulesEvaluator ev = rules(PROFILE_RULES);
    Decision d = set(ev, Node.empty(), "/users/alice", "{\"name\": \"A\", \"age\": 3, \"extra\": 1}", ALICE);
    assertThat(d.allowed()).isFalse();
    assertThat(d.rulePath()).isEqualTo("/users/$uid/$other");
    assertThat(d.reason()).isEqualTo(".validate at /users/$uid/$other failed for /users/alice/extra");
  }

  @Test
  void validateNeverGrants() {
    RulesEvaluator ev = rules("{\"a\": {\".validate\": true}}");
    assertThat(set(ev, Node.empty(), "/a", "1", null).allowed()).isFalse();
  }

  @Test
  void failingValidateVetoesAnAllowedWrite() {
    RulesEvaluator ev = rules("{\".write\": true, \"a\": {\".validate\": \"newData.isNumber()\"}}");
    assertThat(set(ev, Node.empty(), "/a", "\"s\"", null).allowed()).isFalse();
    assertThat(set(ev, Node.empty(), "/a", "1", null).allowed()).isTrue();
  }

  @Test
  void validateDoesNotCascade() {
    // A false .validate at /a does not apply to a write at /a/b once /a exists with other content:
    // only nodes touched by the write and the ancestors are checked, and the ancestor /a rule looks at /a only.
    RulesEvaluator ev = rules("{\".write\": true, \"a\": {\".validate\": \"newData.hasChild('keep')\","
        + " \"b\": {}}}");
    Node root = tree("{\"a\": {\"keep\": 1}}");
    assertThat(set(ev, root, "/a/b", "2", null).allowed()).isTrue();
    RulesEvaluator strict = rules("{\".write\": true, \"a\": {\".validate\": false}}");
    // the rule at /a does not apply to /x
    assertThat(set(strict, Node.empty(), "/x", "1", null).allowed()).isTrue();
  }

  @Test
  void ancestorValidateIsCheckedAgainstTheMergedTree() {
    RulesEvaluator ev = rules("{\".write\": true, \"a\": {\".validate\": \"newData.hasChild('keep')\"}}");
    Node root = tree("{\"a\": {\"keep\": 1, \"x\": 1}}");
    assertThat(set(ev, root, "/a/x", "2", null).allowed()).isTrue();
    // deleting the required child via a deeper write fails the ancestor's validate on the merged result
    Node newRoot = root.set(p("/a/keep"), Node.empty());
    assertThat(ev.canWrite(p("/a/keep"), root, newRoot, null, NOW).allowed()).isFalse();
  }

  @Test
  void validateIsSkippedForDeletes() {
    RulesEvaluator ev = rules("{\".write\": true, \"a\": {\".validate\": false}}");
    Node root = tree("{\"a\": 1, \"b\": 2}");
    Decision del = ev.canWrite(p("/a"), root, root.set(p("/a"), Node.empty()), null, NOW);
    assertThat(del.allowed()).isTrue();
    assertThat(set(ev, root, "/a", "2", null).allowed()).isFalse();
  }

  @Test
  void validateRunsOnEveryNodeOfTheWrittenSubtree() {
    RulesEvaluator ev = rules("{\".write\": true, "
        + "\"list\": {\"$id\": {\"v\": {\".validate\": \"newData.isNumber()\"}}}}");
    assertThat(set(ev, Node.empty(), "/list", "{\"a\": {\"v\": 1}, \"b\": {\"v\": 2}}", null).allowed()).isTrue();
    assertThat(set(ev, Node.empty(), "/list", "{\"a\": {\"v\": 1}, \"b\": {\"v\": \"x\"}}", null).allowed())
        .isFalse();
  }

  @Test
  void validateOnUntouchedSiblingsIsNotRun() {
    RulesEvaluator ev = rules("{\".write\": true, \"$k\": {\".validate\": \"newData.isNumber()\"}}");
    Node root = tree("{\"bad\": \"string\"}");
    assertThat(set(ev, root, "/good", "1", null).allowed()).isTrue();
  }

  @Test
  void validateUsesWildcardVariables() {
    RulesEvaluator ev = rules("{\".write\": true, "
        + "\"byId\": {\"$id\": {\".validate\": \"newData.child('id').val() == $id\"}}}");
    assertThat(set(ev, Node.empty(), "/byId/k1", "{\"id\": \"k1\"}", null).allowed()).isTrue();
    assertThat(set(ev, Node.empty(), "/byId/k1", "{\"id\": \"k2\"}", null).allowed()).isFalse();
  }

  @Test
  void validateDataIsTheOldValue() {
    RulesEvaluator ev = rules("{\".write\": true, \"counter\": {\".validate\": "
        + "\"newData.isNumber() && (!data.exists() || newData.val() == data.val() + 1)\"}}");
    Node root = tree("{\"counter\": 4}");
    assertThat(set(ev, root, "/counter", "5", null).allowed()).isTrue();
    assertThat(set(ev, root, "/counter", "7", null).allowed()).isFalse();
  }

  @Test
  void validateWithStringMethodsAndRegex() {
    RulesEvaluator ev = rules("{\".write\": true, \"handles\": {\"$h\": {\".validate\": "
        + "\"newData.isString() && newData.val().matches(/^[a-z]+$/i) && $h.toLowerCase() == $h\"}}}");
    assertThat(set(ev, Node.empty(), "/handles/abc", "\"Hello\"", null).allowed()).isTrue();
    assertThat(set(ev, Node.empty(), "/handles/abc", "\"he llo\"", null).allowed()).isFalse();
    assertThat(set(ev, Node.empty(), "/handles/ABC", "\"hello\"", null).allowed()).isFalse();
  }

  @Test
  void validateErrorDenies() {
    RulesEvaluator ev = rules("{\".write\": true, \"a\": {\".validate\": \"newData.val().length > 2\"}}");
    Decision d = set(ev, Node.empty(), "/a", "12345", null);
    assertThat(d.allowed()).isFalse();
    assertThat(d.reason()).contains("evaluation error");
    assertThat(set(ev, Node.empty(), "/a", "\"abc\"", null).allowed()).isTrue();
  }

  @Test
  void ternaryRule() {
    RulesEvaluator ev = rules("{\"docs\": {\"$d\": {\".write\": "
        + "\"data.exists() ? data.child('owner').val() == auth.uid : newData.child('owner').val() == auth.uid\"}}}");
    Node root = tree("{\"docs\": {\"d1\": {\"owner\": \"alice\"}}}");
    assertThat(set(ev, root, "/docs/d1", "{\"owner\": \"bob\"}", ALICE).allowed()).isTrue();
    assertThat(set(ev, root, "/docs/d1", "{\"owner\": \"bob\"}", BOB).allowed()).isFalse();
    assertThat(set(ev, root, "/docs/d2", "{\"owner\": \"bob\"}", BOB).allowed()).isTrue();
    assertThat(set(ev, root, "/docs/d2", "{\"owner\": \"alice\"}", BOB).allowed()).isFalse();
  }

  @Test
  void customClaims() {
    RulesEvaluator ev = rules("{\".write\": \"auth.token.admin === true\"}");
    AuthContext admin = new AuthContext("root", "custom", Map.of("admin", true));
    assertThat(set(ev, Node.empty(), "/x", "1", admin).allowed()).isTrue();
    assertThat(set(ev, Node.empty(), "/x", "1", ALICE).allowed()).isFalse();
  }

  // ---- multi-path updates ----

  private static final String UPDATE_RULES = """
      {"users": {"$uid": {".write": "auth.uid == $uid", ".validate": "newData.child('n').isNumber()"}},
       "log": {"$id": {".write": "auth != null"}}}""";

  private static Node merge(Node root, Path base, Map<String, String> children) {
    Node out = root;
    for (Map.Entry<String, String> e : children.entrySet()) {
      out = out.set(base.child(Path.parse(e.getKey())), tree(e.getValue()));
    }
    return out;
  }

  @Test
  void multiPathUpdatePassesWhenEveryPathPasses() {
    RulesEvaluator ev = rules(UPDATE_RULES);
    Node root = Node.empty();
    Map<String, String> upd = Map.of("users/alice", "{\"n\": 1}", "log/l1", "\"hi\"");
    Node newRoot = merge(root, Path.ROOT, upd);
    Decision d = ev.canUpdate(Path.ROOT, List.of(p("users/alice"), p("log/l1")), root, newRoot, ALICE, NOW);
    assertThat(d.allowed()).isTrue();
    assertThat(d.rulePath()).isEqualTo("/users/$uid, /log/$id");
  }

  @Test
  void multiPathUpdateIsAllOrNothingOnWrite() {
    RulesEvaluator ev = rules(UPDATE_RULES);
    Map<String, String> upd = Map.of("users/alice", "{\"n\": 1}", "users/bob", "{\"n\": 1}");
    Node newRoot = merge(Node.empty(), Path.ROOT, upd);
    Decision d = ev.canUpdate(Path.ROOT, List.of(p("users/alice"), p("users/bob")), Node.empty(), newRoot, ALICE,
        NOW);
    assertThat(d.allowed()).isFalse();
    assertThat(d.reason()).isEqualTo("No .write rule granted access to /users/bob");
  }

  @Test
  void multiPathUpdateIsAllOrNothingOnValidate() {
    RulesEvaluator ev = rules(UPDATE_RULES);
    Map<String, String> upd = Map.of("alice", "{\"n\": \"x\"}");
    Node newRoot = merge(Node.empty(), p("/users"), upd);
    Decision d = ev.canUpdate(p("/users"), List.of(p("alice")), Node.empty(), newRoot, ALICE, NOW);
    assertThat(d.allowed()).isFalse();
    assertThat(d.rulePath()).isEqualTo("/users/$uid");
  }

  @Test
  void multiPathUpdateWithNestedPathsRelativeToBase() {
    RulesEvaluator ev = rules(UPDATE_RULES);
    Node root = tree("{\"users\": {\"alice\": {\"n\": 1, \"m\": 1}}}");
    Map<String, String> upd = Map.of("alice/n", "2", "alice/m", "3");
    Node newRoot = merge(root, p("/users"), upd);
    assertThat(ev.canUpdate(p("/users"), List.of(p("alice/n"), p("alice/m")), root, newRoot, ALICE, NOW).allowed())
        .isTrue();
    // the ancestor /users/alice .validate sees the merged tree: n must stay a number
    Node bad = merge(root, p("/users"), Map.of("alice/n", "\"s\"", "alice/m", "3"));
    assertThat(ev.canUpdate(p("/users"), List.of(p("alice/n"), p("alice/m")), root, bad, ALICE, NOW).allowed())
        .isFalse();
  }

  @Test
  void emptyUpdateIsDenied() {
    RulesEvaluator ev = new RulesEvaluator(RuleSet.allowAll());
    assertThat(ev.canUpdate(Path.ROOT, List.of(), Node.empty(), Node.empty(), null, NOW).allowed()).isFalse();
  }

  // ---- indexOn ----

  @Test
  void indexOnFollowsWildcards() {
    RulesEvaluator ev = rules("{\"users\": {\".indexOn\": \"age\", "
        + "\"$uid\": {\"posts\": {\".indexOn\": [\"ts\", \".value\"]}}}}");
    assertThat(ev.indexOn(p("/users"))).containsExactly("age");
    assertThat(ev.indexOn(p("/users/alice/posts"))).containsExactly("ts", ".value");
    assertThat(ev.indexOn(p("/users/alice"))).isEmpty();
    assertThat(ev.indexOn(p("/other/x"))).isEmpty();
  }

  // ---- misc ----

  @Test
  void authContextRuleValueIsImmutable() {
    AuthContext a = new AuthContext("u", "password", Map.of("n", 1, "nested", Map.of("k", List.of(1, "x"))));
    Map<String, Object> v = a.toRuleValue();
    assertThat(v).containsEntry("uid", "u").containsEntry("provider", "password");
    @SuppressWarnings("unchecked")
    Map<String, Object> token = (Map<String, Object>) v.get("token");
    assertThat(token).containsEntry("n", 1.0).containsEntry("sub", "u");
    assertThat(((Map<?, ?>) token.get("nested")).get("k")).isEqualTo(List.of(1.0, "x"));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> v.put("x", 1))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void evaluatorIsSafeToShareAcrossThreads() throws Exception {
    RulesEvaluator ev = rules("{\"users\": {\"$uid\": {\".read\": \"auth.uid == $uid\"}}}");
    Node root = Node.empty();
    Thread[] threads = new Thread[4];
    boolean[] ok = new boolean[threads.length];
    for (int t = 0; t < threads.length; t++) {
      int id = t;
      threads[t] = new Thread(() -> {
        boolean good = true;
        for (int i = 0; i < 500; i++) {
          String uid = "u" + id + "_" + i;
          good &= ev.canRead(p("/users/" + uid), root, AuthContext.of(uid), null, NOW).allowed();
          good &= !ev.canRead(p("/users/x" + uid), root, AuthContext.of(uid), null, NOW).allowed();
        }
        ok[id] = good;
      });
      threads[t].start();
    }
    for (Thread t : threads) {
      t.join();
    }
    assertThat(ok).containsOnly(true);
  }
}
