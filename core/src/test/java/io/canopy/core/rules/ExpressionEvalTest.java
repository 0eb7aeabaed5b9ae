package io.canopy.core.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.canopy.core.json.TreeJson;
import io.canopy.core.path.Path;
import io.canopy.core.tree.Node;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The expression language on its own: values, operators, snapshot and string methods, error-to-deny. */
class ExpressionEvalTest {
  private static final Node TREE = TreeJson.parse("""
      {"users": {"alice": {"name": "Alice", "age": 30, "admin": true, "tags": {"a": 1}},
                 "bob": {".value": "b", ".priority": 5}},
       "admins": {"alice": true}}""");
  private static final AuthContext ALICE = new AuthContext("alice", "password",
      Map.of("email", "Alice@Example.com", "email_verified", true, "level", 3,
          "firebase", Map.of("sign_in_provider", "password")));

  private static Interpreter.Env env(AuthContext auth) {
    return new Interpreter.Env(new RuleSnapshot(TREE, Path.ROOT), new RuleSnapshot(TREE, Path.parse("users/alice")),
        new RuleSnapshot(TREE.set(Path.parse("users/alice/age"), TreeJson.parse("31")), Path.parse("users/alice")),
        AuthContext.ruleValue(auth), QueryParams.orderByChild("owner").withEqualTo("alice").toRuleValue(),
        1_700_000_000_000.0, Map.of("$uid", "alice"));
  }

  private static Object eval(String src) {
    return Interpreter.eval(ExpressionParser.parse(src, Set.of("$uid"), true), env(ALICE));
  }

  private static boolean rule(String src, AuthContext auth) {
    return new Rule(src, ExpressionParser.parse(src, Set.of("$uid"), true)).test(env(auth)).value();
  }

  private static boolean rule(String src) {
    return rule(src, ALICE);
  }

  @Test
  void arithmeticAndConcatenation() {
    assertThat(eval("1 + 2 * 3 - 4 / 2")).isEqualTo(5.0);
    assertThat(eval("7 % 3")).isEqualTo(1.0);
    assertThat(eval("-(2 + 3)")).isEqualTo(-5.0);
    assertThat(eval("'a' + 'b'")).isEqualTo("ab");
    assertThat(eval("'n' + 1")).isEqualTo("n1");
    assertThat(eval("1.5 + 'x'")).isEqualTo("1.5x");
    assertThat(eval("'users/' + $uid")).isEqualTo("users/alice");
  }

  @Test
  void equalityIsStrict() {
    assertThat(rule("1 == 1")).isTrue();
    assertThat(rule("1 == '1'")).isFalse();
    assertThat(rule("1 != '1'")).isTrue();
    assertThat(rule("true === true")).isTrue();
    assertThat(rule("null == null")).isTrue();
    assertThat(rule("'a' !== 'a'")).isFalse();
    assertThat(rule("data.child('missing').val() == null")).isTrue();
    assertThat(rule("0 / 0 == 0 / 0")).isFalse(); // NaN, as in JavaScript
    assertThat(rule("auth != null && data != null")).isTrue(); // anything compares with null
  }

  @Test
  void comparisons() {
    assertThat(rule("1 < 2 && 2 <= 2 && 3 > 2 && 3 >= 3")).isTrue();
    assertThat(rule("'abc' < 'abd'")).isTrue();
    assertThat(rule("1 < '2'")).isFalse(); // type error: deny
  }

  @Test
  void logicalOperatorsShortCircuit() {
    // the right side would be an error (auth.uid on null) if evaluated
    assertThat(rule("auth != null && auth.uid == 'x'", null)).isFalse();
    assertThat(rule("auth == null || auth.uid == 'x'", null)).isTrue();
    assertThat(rule("true || 1")).isTrue();
    assertThat(rule("false && 1")).isFalse();
    assertThat(rule("!false")).isTrue();
  }

  @Test
  void ternary() {
    assertThat(rule("auth.uid == 'alice' ? data.child('age').val() == 30 : false")).isTrue();
    assertThat(rule("auth == null ? true : false")).isFalse();
    assertThat(rule("1 ? true : true")).isFalse(); // condition must be boolean
  }

  @Test
  void authVariable() {
    assertThat(eval("auth.uid")).isEqualTo("alice");
    assertThat(eval("auth.provider")).isEqualTo("password");
    assertThat(eval("auth.token.email_verified")).isEqualTo(true);
    assertThat(eval("auth.token.level")).isEqualTo(3.0);
    assertThat(eval("auth.token['firebase']['sign_in_provider']")).isEqualTo("password");
    assertThat(eval("auth.token.sub")).isEqualTo("alice");
    assertThat(eval("auth.token.missingClaim")).isNull();
    assertThat(rule("auth.token.admin == true")).isFalse();
    assertThat(rule("auth.uid == 'x'", null)).isFalse(); // member of null: error, deny
  }

  @Test
  void snapshotMethods() {
    assertThat(eval("data.child('name').val()")).isEqualTo("Alice");
    assertThat(eval("data.child('tags/a').val()")).isEqualTo(1.0);
    assertThat(eval("root.child('users/bob').getPriority()")).isEqualTo(5.0);
    assertThat(eval("root.child('users').getPriority()")).isNull();
    assertThat(rule("data.parent().parent().child('admins').child(auth.uid).exists()")).isTrue();
    assertThat(rule("data.hasChild('name') && !data.hasChild('nope')")).isTrue();
    assertThat(rule("data.hasChildren() && !data.child('name').hasChildren()")).isTrue();
    assertThat(rule("data.hasChildren(['name', 'age']) && !data.hasChildren(['name', 'x'])")).isTrue();
    assertThat(rule("data.child('age').isNumber() && data.child('name').isString()"
        + " && data.child('admin').isBoolean() && !data.child('tags').isString()")).isTrue();
    assertThat(rule("data.child('age').val() == 30 && newData.child('age').val() == 31")).isTrue();
    assertThat(rule("data.child('missing').exists()")).isFalse();
    assertThat(rule("root.parent().exists()")).isFalse(); // parent of root: error, deny
  }

  @Test
  void valOfAnObjectIsAnOpaqueSentinel() {
    assertThat(rule("data.child('tags').val() == null")).isFalse();
    assertThat(rule("data.child('tags').val() != null")).isTrue();
    assertThat(rule("data.child('tags').val() + 1 == 2")).isFalse();
  }

  @Test
  void stringMethods() {
    assertThat(eval("auth.uid.length")).isEqualTo(5.0);
    assertThat(rule("auth.token.email.contains('@') && auth.token.email.endsWith('.com')"
        + " && auth.token.email.beginsWith('Alice')")).isTrue();
    assertThat(eval("'a-b-c'.replace('-', '+')")).isEqualTo("a+b+c");
    assertThat(eval("auth.token.email.toLowerCase()")).isEqualTo("alice@example.com");
    assertThat(eval("'abc'.toUpperCase()")).isEqualTo("ABC");
    assertThat(rule("auth.token.email.matches(/^[a-z]+@example\\.com$/i)")).isTrue();
    assertThat(rule("auth.token.email.matches(/^[a-z]+@example\\.com$/)")).isFalse();
    assertThat(rule("data.child('name').val().matches(/^[A-Z][a-z]+$/)")).isTrue();
  }

  @Test
  void queryVariable() {
    assertThat(rule("query.orderByChild == 'owner' && query.equalTo == auth.uid")).isTrue();
    assertThat(rule("query.orderByKey == false && query.limitToFirst == null")).isTrue();
    assertThat(eval("query.startAt")).isNull();
  }

  @Test
  void nowVariable() {
    assertThat(rule("now > 1600000000000 && now - 1000 < now")).isTrue();
  }

  @Test
  void nonBooleanResultDenies() {
    assertThat(rule("1")).isFalse();
    assertThat(rule("'true'")).isFalse();
    assertThat(rule("data.child('admin')")).isFalse();
    assertThat(rule("data.child('admin').val()")).isTrue();
  }

  @Test
  void evaluationErrorsDenyAndNeverThrow() {
    assertThat(rule("data.nope()")).isFalse();
    assertThat(rule("auth.uid.nope()")).isFalse();
    assertThat(rule("data.child(1).exists()")).isFalse();
    assertThat(rule("data.child('a.b').exists()")).isFalse();
    assertThat(rule("data.child('').exists()")).isFalse();
    assertThat(rule("data.child('x', 'y').exists()")).isFalse();
    assertThat(rule("-'a' == 1")).isFalse();
    assertThat(rule("!1")).isFalse();
    assertThat(rule("data == data")).isFalse();
    assertThat(rule("auth.uid.matches('x')")).isFalse();
    assertThat(rule("now.length == 1")).isFalse();
    assertThat(rule("data.hasChildren('name')")).isFalse();
    assertThat(new Rule("x", ExpressionParser.parse("data.exists()", Set.of(), true)).test(env(ALICE)).error())
        .isNull();
    assertThat(new Rule("x", ExpressionParser.parse("auth.uid", Set.of(), true)).test(env(null)).error())
        .contains("no property 'uid' on null");
  }
}
