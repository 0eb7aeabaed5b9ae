package io.canopy.core.path;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class KeyOrderTest {
  private static final List<String> EXPECTED = List.of(
      "-2147483648", "-1", "00", "-0", "1", "01", "9", "10", "2147483647",
      "-2147483649", "1e3", "2147483648", "A", "_", "a", "a b", "b", "~", "\u00fc", "\uD83D\uDE00");

  @Test
  void orderByKeyOfTheSharedVectors() throws IOException {
    JsonNode root;
    try (InputStream in = KeyOrderTest.class.getResourceAsStream("/vectors/ordering.json")) {
      assertThat(in).as("vectors/ordering.json on the test classpath").isNotNull();
      root = new ObjectMapper().readTree(in);
    }
    List<String> keys = new ArrayList<>();
    root.get("datasets").get("keys").fieldNames().forEachRemaining(keys::add);
    JsonNode result = null;
    for (JsonNode r : root.get("results")) {
      if (r.get("data").asText().equals("keys") && r.get("query").size() == 1
          && r.get("query").get(0).asText().equals("orderByKey")) {
        result = r;
      }
    }
    assertThat(result).isNotNull();
    List<String> expected = new ArrayList<>();
    result.get("keys").forEach(k -> expected.add(k.asText()));
    assertThat(expected).isEqualTo(EXPECTED);

    keys.sort(KeyOrder.COMPARATOR);
    assertThat(keys).isEqualTo(expected);
  }

  @Test
  void sortIsIndependentOfInputOrder() {
    Random rnd = new Random(1);
    for (int i = 0; i < 50; i++) {
      List<String> keys = new ArrayList<>(EXPECTED);
      Collections.shuffle(keys, rnd);
      keys.sort(KeyOrder.COMPARATOR);
      assertThat(keys).isEqualTo(EXPECTED);
    }
  }

  @Test
  void comparatorIsAntisymmetricAndConsistentWithEquals() {
    List<String> keys = new ArrayList<>(EXPECTED);
    keys.addAll(List.of("0", "000", "-00", "001", "-01", "", "-", "+1", " 1", "1 ", "0x1", "\uFF11",
        "00000000001", "-0000000002147483648", "4294967296", "99999999999", KeyOrder.MIN_NAME, KeyOrder.MAX_NAME));
    for (String a : keys) {
      assertThat(KeyOrder.compare(a, a)).isZero();
      for (String b : keys) {
        int ab = KeyOrder.compare(a, b);
        assertThat(Integer.signum(ab)).as("%s vs %s", a, b).isEqualTo(-Integer.signum(KeyOrder.compare(b, a)));
        if (ab == 0) {
          assertThat(a).isEqualTo(b);
        }
        for (String c : keys) {
          if (ab < 0 && KeyOrder.compare(b, c) < 0) {
            assertThat(KeyOrder.compare(a, c)).as("%s < %s < %s", a, b, c).isNegative();
          }
        }
      }
    }
  }

  @Test
  void integerKeys() {
    for (String k : List.of("0", "1", "-1", "01", "00", "-0", "007", "2147483647", "-2147483648",
        "00000000002147483647", "-00")) {
      assertThat(KeyOrder.isIntegerKey(k)).as(k).isTrue();
    }
    for (String k : List.of("", "-", "+1", " 1", "1 ", "1.0", "1e3", "2147483648", "-2147483649", "0x1",
        "\uFF11", "a", "99999999999", "12345678901")) {
      assertThat(KeyOrder.isIntegerKey(k)).as(k).isFalse();
    }
  }

  @Test
  void sameValueIntegersOrderByLength() {
    assertThat(KeyOrder.compare("1", "01")).isNegative();
    assertThat(KeyOrder.compare("01", "001")).isNegative();
    assertThat(KeyOrder.compare("0", "00")).isNegative();
    assertThat(KeyOrder.compare("0", "-0")).isNegative();
    assertThat(KeyOrder.compare("00", "-0")).isNegative();
    assertThat(KeyOrder.compare("-1", "-01")).isNegative();
  }

  @Test
  void integersBeforeStringsAndStringsByUtf16() {
    assertThat(KeyOrder.compare("2147483647", "-2147483649")).isNegative();
    assertThat(KeyOrder.compare("9", "10")).isNegative();
    assertThat(KeyOrder.compare("10", "a")).isNegative();
    assertThat(KeyOrder.compare("Z", "a")).isNegative();
    assertThat(KeyOrder.compare("a", "a b")).isNegative();
    // UTF-16 code units, not code points: U+FF5E (3 bytes, one unit) sorts after the emoji's high surrogate? No:
    // 0xD83D < 0xFF5E, so the emoji (a surrogate pair) comes first, unlike in code point order.
    assertThat(KeyOrder.compare("\uD83D\uDE00", "\uFF5E")).isNegative();
  }

  @Test
  void sentinels() {
    assertThat(KeyOrder.compare(KeyOrder.MIN_NAME, "-2147483648")).isNegative();
    assertThat(KeyOrder.compare("\uD83D\uDE00", KeyOrder.MAX_NAME)).isNegative();
    assertThat(KeyOrder.compare(KeyOrder.MIN_NAME, KeyOrder.MAX_NAME)).isNegative();
    assertThat(KeyOrder.compare(KeyOrder.MAX_NAME, KeyOrder.MIN_NAME)).isPositive();
    assertThat(KeyOrder.compare(KeyOrder.MAX_NAME, KeyOrder.MAX_NAME)).isZero();
  }
}
