package io.canopy.core.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ExpressionParserTest {

  private static String ast(String src) {
    return ExpressionParser.parse(src, Set.of("$uid", "$id"), true).toString();
  }

  @ParameterizedTest
  @CsvSource(delimiterString = " ~ ", quoteCharacter = '`', value = {
    "1 + 2 * 3 ~ (+ 1 (* 2 3))",
    "(1 + 2) * 3 ~ (* (+ 1 2) 3)",
    "1 - 2 - 3 ~ (- (- 1 2) 3)",
    "8 / 4 % 3 ~ (% (/ 8 4) 3)",
    "1 + 2 < 4 ~ (< (+ 1 2) 4)",
    "1 < 2 == true ~ (== (< 1 2) true)",
    "auth == root && data != now ~ (&& (== auth root) (!= data now))",
    "true || false && false ~ (|| true (&& false false))",
    "true && false || true ~ (|| (&& true false) true)",
    "true || false ? 1 : 2 ~ (? (|| true false) 1 2)",
    "true ? 1 : false ? 2 : 3 ~ (? true 1 (? false 2 3))",
    "!true == false ~ (== (! true) false)",
    "-1 * -2 ~ (* (- 1) (- 2))",
    "!!true ~ (! (! true))",
    "1 === 1 !== false ~ (!== (=== 1 1) false)",
    "1 <= 2 >= false ~ (>= (<= 1 2) false)",
    "-auth.uid.length ~ (- auth.uid.length)",
    "auth.token['admin'] ~ auth.token['admin']",
    "data.child('a').val() ~ data.child('a').val()",
    "newData.hasChildren(['name', 'age']) ~ newData.hasChildren(['name', 'age'])",
    "$uid == auth.uid ~ (== $uid auth.uid)",
    "now - 1000 > 5 ~ (> (- now 1000) 5)",
  })
  void precedenceAndAssociativity(String src, String expected) {
    assertThat(ast(src)).isEqualTo(expected);
  }

  @Test
  void literals() {
    assertThat(ast("'it\\'s'")).isEqualTo("'it\\'s'");
    assertThat(ast("\"double \\\"quoted\\\"\"")).isEqualTo("'double \"quoted\"'");
    assertThat(ast("'\\u0041\\n'")).isEqualTo("'A\n'");
    assertThat(ast("1.5e3")).isEqualTo("1500");
    assertThat(ast(".25")).isEqualTo("0.25");
    assertThat(ast("null")).isEqualTo("null");
    assertThat(ast("[]")).isEqualTo("[]");
  }

  @Test
  void regexLiteralAfterOperandIsDivision() {
    assertThat(ast("now / 2 / 1")).isEqualTo("(/ (/ now 2) 1)");
    assertThat(ast("auth.uid.matches(/^a\\/b$/i)")).isEqualTo("auth.uid.matches(/^a\\/b$/i)");
    assertThat(ast("(now) / 2")).isEqualTo("(/ now 2)");
  }

  @Test
  void whitespaceAndNewlinesAreIgnored() {
    assertThat(ast("  auth != null\n   && true ")).isEqualTo("(&& (!= auth null) true)");
  }

  private static ExpressionSyntaxException error(String src) {
    try {
      ExpressionParser.parse(src, Set.of("$uid"), false);
    } catch (ExpressionSyntaxException e) {
      return e;
    }
    throw new AssertionError("expected a syntax error for " + src);
  }

  @Test
  void syntaxErrorsCarryOffsets() {
    assertThat(error("auth.uid == )").getMessage()).isEqualTo("unexpected token ')'");
    assertThat(error("auth.uid == )").offset()).isEqualTo(12);
    assertThat(error("(true").getMessage()).isEqualTo("expected ')' but found end of expression");
    assertThat(error("true true").offset()).isEqualTo(5);
    assertThat(error("'abc").getMessage()).isEqualTo("unterminated string");
    assertThat(error("auth.uid = 'x'").getMessage()).contains("'='");
    assertThat(error("true & false").getMessage()).contains("bitwise");
    assertThat(error("").getMessage()).isEqualTo("empty expression");
    assertThat(error("true ? 1").getMessage()).contains("expected ':'");
    assertThat(error("auth.").getMessage()).contains("property name");
    assertThat(error("1 # 2").getMessage()).contains("unexpected character '#'");
  }

  @Test
  void variablesAreCheckedAtParseTime() {
    assertThat(error("foo == 1").getMessage()).isEqualTo("unknown variable 'foo'");
    assertThat(error("$other == 'x'").getMessage()).contains("no enclosing wildcard");
    assertThat(error("newData.exists()").getMessage()).contains("newData is not available in .read");
    assertThat(error("root('x')").getMessage()).contains("only methods can be called");
  }

  @Test
  void nestingIsBounded() {
    assertThat(error("(".repeat(500) + "1" + ")".repeat(500)).getMessage()).contains("nested too deeply");
  }

  @Test
  void invalidRegexRejected() {
    assertThatThrownBy(() -> ExpressionParser.parse("auth.uid.matches(/a/g)", Set.of(), true))
        .hasMessageContaining("only 'i'");
    assertThatThrownBy(() -> ExpressionParser.parse("auth.uid.matches(/(/)", Set.of(), true))
        .hasMessageContaining("unclosed group");
  }
}
