package io.canopy.gateway.ws;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class LongPollSegmentsTest {

  /** As the JS SDK encodes: base64url of the UTF-8 bytes, '.' as padding. */
  private static String encode(String text) {
    return Base64.getUrlEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8)).replace('=', '.');
  }

  private static List<String> cut(String s, int size) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < s.length(); i += size) {
      out.add(s.substring(i, Math.min(s.length(), i + size)));
    }
    return out;
  }

  @Test
  void aMessageInOnePieceComesOutAtOnce() {
    LongPollSegments segments = new LongPollSegments(1000, 16);
    List<LongPollSegments.Message> out = segments.accept(0, 1, encode("{\"t\":\"c\"}"));
    assertThat(out).extracting(LongPollSegments.Message::text).containsExactly("{\"t\":\"c\"}");
  }

  @Test
  void piecesArrivingOutOfOrderMakeTheirMessagesInOrder() {
    String first = "{\"a\":\"" + "é".repeat(50) + "\"}";
    String second = "{\"b\":\"✓€\"}";
    List<String> p1 = cut(encode(first), 7);
    List<String> p2 = cut(encode(second), 5);
    LongPollSegments segments = new LongPollSegments(1000, 64);
    List<String> seen = new ArrayList<>();
    // the second message's pieces first, then the first's backwards
    for (int i = 0; i < p2.size(); i++) {
      segments.accept(p1.size() + i, p2.size(), p2.get(i)).forEach(m -> seen.add(m.text()));
    }
    assertThat(seen).isEmpty();
    for (int i = p1.size() - 1; i >= 0; i--) {
      segments.accept(i, p1.size(), p1.get(i)).forEach(m -> seen.add(m.text()));
    }
    assertThat(seen).containsExactly(first, second);
    // a piece sent again is ignored
    assertThat(segments.accept(0, p1.size(), p1.get(0))).isEmpty();
    assertThat(segments.broken()).isNull();
  }

  @Test
  void paddingAndAlphabetsAreAccepted() {
    assertThat(LongPollSegments.decode("YQ..").text()).isEqualTo("a");
    assertThat(LongPollSegments.decode("YQ==").text()).isEqualTo("a");
    assertThat(LongPollSegments.decode("YQ").text()).isEqualTo("a");
    assertThat(LongPollSegments.decode("Pz8_").text()).isEqualTo("???");
    assertThat(LongPollSegments.decode("Pz8/").text()).isEqualTo("???");
    assertThat(LongPollSegments.decode("!!!").error()).contains("not base64");
    assertThat(LongPollSegments.decode(Base64.getUrlEncoder().encodeToString(new byte[] {(byte) 0xff})).error())
        .contains("not UTF-8");
  }

  @Test
  void tooManyWaitingPiecesBreakTheSession() {
    LongPollSegments segments = new LongPollSegments(1000, 4);
    for (int i = 1; i <= 4; i++) {
      assertThat(segments.accept(i, 100, "QQ")).isEmpty();
    }
    segments.accept(5, 100, "QQ");
    assertThat(segments.broken()).contains("Too many");
    assertThat(segments.accept(0, 1, "QQ")).isEmpty();
  }

  @Test
  void aMessageOverTheLimitIsRefusedNotKept() {
    LongPollSegments segments = new LongPollSegments(10, 64);
    List<LongPollSegments.Message> out = segments.accept(0, 1, encode("x".repeat(40)));
    assertThat(out).singleElement().satisfies(m -> assertThat(m.error()).contains("too large"));
    assertThat(segments.broken()).isNull();
    assertThat(segments.accept(1, 1, encode("ok")).get(0).text()).isEqualTo("ok");
  }

  @Test
  void invalidNumbersBreakTheSession() {
    LongPollSegments segments = new LongPollSegments(1000, 16);
    segments.accept(0, 0, "QQ");
    assertThat(segments.broken()).isNotNull();
  }

  @Test
  void scriptsCallTheClientsCallbacksThroughParentAndEscapeLineSeparators() {
    assertThat(LongPollScripts.start("12", "id", "pw")).isEqualTo("parent.pLPCommand12('start',\"id\",\"pw\");\n");
    assertThat(LongPollScripts.data("12", 3, List.of("{\"a\":\"x\u2028</script>\"}", "{}")))
        .isEqualTo("parent.pRTLPCB12(3,[{\"a\":\"x\\u2028<\\/script>\"},{}]);\n");
    assertThat(LongPollScripts.close("12", 4)).isEqualTo("parent.pLPCommand12('close',4);\n");
    assertThat(LongPollScripts.close("12", 0)).isEqualTo("parent.pLPCommand12('close');\n");
    assertThat(LongPollScripts.disconnectFrame("?disconn=t&id=a&pw=b")).contains("\"?disconn=t&id=a&pw=b\"")
        .contains("pagehide");
  }
}
