package io.canopy.core.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RuleRegexTest {

  private static boolean test(String re, String flags, String input) {
    return RuleRegex.find(RuleRegex.compile(re, flags, 0), input);
  }

  @ParameterizedTest
  @CsvSource(delimiterString = " ~ ", ignoreLeadingAndTrailingWhitespace = false, value = {
    "^[a-z]+$ ~  ~ abc ~ true",
    "^[a-z]+$ ~  ~ aBc ~ false",
    "^[a-z]+$ ~ i ~ aBc ~ true",
    "\\d{3}-\\d{4} ~  ~ call 555-1234 now ~ true",
    "^\\d+$ ~  ~ 12a ~ false",
    "^\\w+@\\w+\\.com$ ~  ~ me@x.com ~ true",
    "^\\w+@\\w+\\.com$ ~  ~ me@xycom ~ false",
    "^\\S+$ ~  ~ no spaces ~ false",
    "^\\D*$ ~  ~ abc ~ true",
    "^\\W$ ~  ~ ! ~ true",
    "^(ab)+$ ~  ~ ababab ~ true",
    "^(?:ab|cd)?$ ~  ~ cd ~ true",
    "^a.c$ ~  ~ a-c ~ true",
    "^[^0-9]+$ ~  ~ abc ~ true",
    "^[^0-9]+$ ~  ~ ab1 ~ false",
    "^[\\d\\s]+$ ~  ~ 1 2 ~ true",
    "^[a-c-]+$ ~  ~ a-b ~ true",
    "^a{2,3}$ ~  ~ aaaa ~ false",
    "^a{2,}$ ~  ~ aaaa ~ true",
    "^a+?b$ ~  ~ aab ~ true",
    "x$ ~  ~ abx ~ true",
    "^\\$\\.$ ~  ~ $. ~ true",
    "a|b ~  ~ b ~ true",
  })
  void matches(String re, String flags, String input, boolean expected) {
    assertThat(test(re, flags == null ? "" : flags, input)).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"a^b", "a$b", "(?=a)", "(?<n>a)", "(a)\\1", "\\bword", "a++", "*a", "[]", "[abc",
      "a{1,2", "a{5,1}", "a{9999}", "a)", "\\p{L}", "(?i)a", "a}"})
  void rejectsUnsupportedConstructs(String re) {
    assertThatThrownBy(() -> RuleRegex.compile(re, "", 0)).isInstanceOf(ExpressionSyntaxException.class)
        .hasMessageStartingWith("invalid regex");
  }

  @Test
  void javaOnlyClassSyntaxIsLiteral() {
    // '&&' and nested '[' mean intersection/union in Java but are literals in JavaScript classes
    assertThat(test("^[a&&b]+$", "", "&")).isTrue();
    assertThat(test("^[[x]+$", "", "[")).isTrue();
  }

  @Test
  void catastrophicBacktrackingIsCutOffNotHung() {
    long start = System.nanoTime();
    assertThatThrownBy(() -> test("^(.*a){12}$", "", "a".repeat(40) + "b"))
        .isInstanceOf(EvaluationException.class).hasMessageContaining("budget");
    assertThat(System.nanoTime() - start).isLessThan(5_000_000_000L);
  }

  @Test
  void ordinaryLongInputsStayWithinBudget() {
    assertThat(test("^[a-z]+$", "", "a".repeat(100_000))).isTrue();
  }

  @Test
  void flagsOtherThanIRejected() {
    assertThatThrownBy(() -> RuleRegex.compile("a", "gi", 0)).hasMessageContaining("only 'i'");
  }
}
