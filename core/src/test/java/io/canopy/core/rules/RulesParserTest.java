package io.canopy.core.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.canopy.core.error.ErrorCode;
import org.junit.jupiter.api.Test;

class RulesParserTest {

  private static RulesParseException error(String doc) {
    try {
      RulesParser.parse(doc);
    } catch (RulesParseException e) {
      return e;
    }
    throw new AssertionError("expected a parse error");
  }

  @Test
  void parsesLevelsWildcardsAndRuleKinds() {
    RuleSet rs = RulesParser.parse("""
        {
          "rules": {
            ".read": false,
            "users": {
              "$uid": {
                ".read": "auth != null && auth.uid == $uid",
                ".write": true,
                ".validate": "newData.hasChildren(['name'])",
                ".indexOn": ["age", "name"]
              }
            },
            "scores": { ".indexOn": ".value" }
          }
        }""");
    assertThat(rs.path()).isEqualTo("/");
    assertThat(rs.read().source()).isEqualTo("false");
    RuleSet users = rs.children().get("users");
    assertThat(users.wildcard()).isEqualTo("$uid");
    RuleSet uid = users.wildcardChild();
    assertThat(uid.path()).isEqualTo("/users/$uid");
    assertThat(uid.read().toString()).isEqualTo("(&& (!= auth null) (== auth.uid $uid))");
    assertThat(uid.write().source()).isEqualTo("true");
    assertThat(uid.validate().source()).isEqualTo("newData.hasChildren(['name'])");
    assertThat(uid.indexOn()).containsExactly("age", "name");
    assertThat(rs.children().get("scores").indexOn()).containsExactly(".value");
    assertThat(users.child("anything")).isSameAs(uid);
  }

  @Test
  void acceptsLineAndBlockComments() {
    RuleSet rs = RulesParser.parse("""
        // leading comment
        {
          /* block
             comment */
          "rules": {
            ".read": "true", // trailing
            "a": { /* inline */ ".write": "auth != null" }
          }
        }
        """);
    assertThat(rs.read().source()).isEqualTo("true");
    assertThat(rs.children().get("a").write().toString()).isEqualTo("(!= auth null)");
  }

  @Test
  void commentMarkersInsideStringsAreNotComments() {
    RuleSet rs = RulesParser.parse("{\"rules\": {\".read\": \"'http://x/*y*/' != null\"}}");
    assertThat(rs.read().toString()).isEqualTo("(!= 'http://x/*y*/' null)");
  }

  @Test
  void regexEscapesSurviveJsonDecoding() {
    RuleSet rs = RulesParser.parse("{\"rules\": {\"$k\": {\".validate\": \"newData.val().matches(/^\\\\d+$/)\"}}}");
    assertThat(rs.wildcardChild().validate().toString()).isEqualTo("newData.val().matches(/^\\d+$/)");
  }

  @Test
  void literalChildWinsOverWildcard() {
    RuleSet rs = RulesParser.parse("{\"rules\":{\"$any\":{\".read\":false},\"open\":{\".read\":true}}}");
    assertThat(rs.child("open").path()).isEqualTo("/open");
    assertThat(rs.child("other").path()).isEqualTo("/$any");
  }

  @Test
  void expressionErrorReportsRulePathLineAndColumn() {
    RulesParseException e = error("""
        {
          "rules": {
            "users": {
              "$uid": { ".write": "auth.uid == )" }
            }
          }
        }""");
    assertThat(e.getMessage())
        .isEqualTo("Parse error in .write at /users/$uid (line 4, column 40): unexpected token ')'");
    assertThat(e.line()).isEqualTo(4);
    assertThat(e.column()).isEqualTo(40);
    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_DATA);
  }

  @Test
  void expressionErrorColumnAccountsForJsonEscapes() {
    // \" inside the JSON string is two raw characters for one decoded one
    RulesParseException e = error("{\"rules\":{\".read\":\"\\\"a\\\" == )\"}}");
    assertThat(e.getMessage()).startsWith("Parse error in .read at / (line 1, column 29)");
  }

  @Test
  void jsonSyntaxErrorsHaveLineAndColumn() {
    RulesParseException e = error("{\n  \"rules\": {\n    \".read\": true,\n  }\n}");
    assertThat(e.getMessage()).isEqualTo("Expected a quoted key (line 4, column 3)");
    assertThat(error("{\"rules\": {\".read\": tru}}").getMessage()).contains("Unexpected character 't'");
    assertThat(error("{\"rules\": {}").getMessage()).contains("Expected ',' or '}'");
    assertThat(error("{\"rules\": {}} x").getMessage()).contains("after the end");
    assertThat(error("/* open").getMessage()).contains("Unterminated comment");
  }

  @Test
  void rejectsUnknownDotKeys() {
    assertThat(error("{\"rules\": {\"a\": {\".reed\": true}}}").getMessage())
        .isEqualTo("Unknown rule key '.reed' at /a (expected .read, .write, .validate or .indexOn)"
            + " (line 1, column 18)");
  }

  @Test
  void rejectsTwoWildcardsAtOneLevel() {
    assertThat(error("{\"rules\": {\"$a\": {}, \"$b\": {}}}").getMessage())
        .startsWith("Two wildcards at /: $a and $b");
  }

  @Test
  void rejectsNonBooleanNonStringRuleValues() {
    assertThat(error("{\"rules\": {\".read\": 1}}").getMessage())
        .startsWith("Rule .read at / must be a boolean or an expression string, got a number");
    assertThat(error("{\"rules\": {\".write\": null}}").getMessage()).contains("got null");
    assertThat(error("{\"rules\": {\".validate\": {}}}").getMessage()).contains("got an object");
  }

  @Test
  void rejectsMalformedStructure() {
    assertThat(error("[]").getMessage()).startsWith("The rules document must be a JSON object");
    assertThat(error("{}").getMessage()).startsWith("The rules document must have a 'rules' key");
    assertThat(error("{\"rules\": {}, \"x\": 1}").getMessage()).startsWith("Unknown top-level key 'x'");
    assertThat(error("{\"rules\": {\"a\": true}}").getMessage()).startsWith("Expected an object of rules at /a");
    assertThat(error("{\"rules\": {\".indexOn\": 3}}").getMessage()).contains("string or an array");
    assertThat(error("{\"rules\": {\".indexOn\": [3]}}").getMessage()).contains("must hold strings");
    assertThat(error("{\"rules\": {\".read\": true, \".read\": false}}").getMessage()).contains("Duplicate key");
    assertThat(error("{\"rules\": {\"a#b\": {}}}").getMessage()).startsWith("Invalid key 'a#b'");
    assertThat(error("{\"rules\": {\"$\": {}}}").getMessage()).startsWith("Invalid wildcard name '$'");
  }

  @Test
  void rejectsUnboundAndReusedWildcards() {
    assertThat(error("{\"rules\": {\"a\": {\".read\": \"$uid == 'x'\"}}}").getMessage())
        .contains("unknown variable '$uid'");
    assertThat(error("{\"rules\": {\"$id\": {\"$id\": {}}}}").getMessage()).contains("already captured");
  }

  @Test
  void newDataIsRejectedInReadRules() {
    assertThat(error("{\"rules\": {\".read\": \"newData.exists()\"}}").getMessage())
        .startsWith("Parse error in .read at / (line 1, column 22): newData is not available");
  }

  @Test
  void allowAllAndDenyAll() {
    assertThat(RuleSet.allowAll().read().source()).isEqualTo("true");
    assertThat(RuleSet.denyAll().write().source()).isEqualTo("false");
  }

  @Test
  void nullDocumentRejected() {
    assertThatThrownBy(() -> RulesParser.parse(null)).isInstanceOf(RulesParseException.class);
  }
}
