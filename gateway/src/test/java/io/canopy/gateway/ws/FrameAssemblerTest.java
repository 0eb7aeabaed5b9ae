package io.canopy.gateway.ws;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FrameAssemblerTest {
  private final FrameAssembler assembler = new FrameAssembler(1_000);

  @Test
  void aFrameIsAWholeMessage() {
    FrameAssembler.Message m = assembler.accept("{\"t\":\"c\"}");
    assertThat(m).isEqualTo(new FrameAssembler.Message("{\"t\":\"c\"}", 1, false));
  }

  @Test
  void aCountAnnouncesThatManyPieces() {
    assertThat(assembler.accept("3")).isNull();
    assertThat(assembler.inProgress()).isTrue();
    assertThat(assembler.accept("{\"a\":")).isNull();
    assertThat(assembler.accept("12")).isNull(); // short and numeric, but a piece: a message is in progress
    assertThat(assembler.accept("3}")).isEqualTo(new FrameAssembler.Message("{\"a\":123}", 3, false));
    assertThat(assembler.inProgress()).isFalse();
    assertThat(assembler.accept("{}")).isEqualTo(new FrameAssembler.Message("{}", 1, false));
  }

  @Test
  void zeroIsTheKeepaliveAndIsIgnored() {
    assertThat(assembler.accept("0")).isNull();
    assertThat(assembler.inProgress()).isFalse();
    assertThat(assembler.accept("{}")).isNotNull();
    for (String nothing : new String[] {"", " ", "-1", "0.0", "1.5", "-0"}) {
      assertThat(assembler.accept(nothing)).as(nothing).isNull();
      assertThat(assembler.inProgress()).as(nothing).isFalse();
    }
  }

  @Test
  void aCountOfOneWrapsASingleMessage() {
    assertThat(assembler.accept("1")).isNull();
    assertThat(assembler.accept("{\"x\":1}")).isEqualTo(new FrameAssembler.Message("{\"x\":1}", 1, false));
  }

  @Test
  void shortNonNumericFramesAreMessages() {
    assertThat(assembler.accept("{}")).isNotNull();
    assertThat(assembler.accept("NaN")).isEqualTo(new FrameAssembler.Message("NaN", 1, false));
    assertThat(assembler.accept("abcdefg")).isNotNull();
    assertThat(assembler.accept("1234567")).as("seven digits is not a count").isNotNull();
  }

  @Test
  void aSurrogatePairCutBetweenPiecesIsWholeAgain() {
    String emoji = "\uD83D\uDE00";
    assertThat(assembler.accept("2")).isNull();
    assertThat(assembler.accept("\"x" + emoji.charAt(0))).isNull();
    FrameAssembler.Message m = assembler.accept(emoji.charAt(1) + "\"");
    assertThat(m.text()).isEqualTo("\"x" + emoji + "\"");
    assertThat(m.text().codePointCount(0, m.text().length())).isEqualTo(4);
  }

  @Test
  void anOversizedMessageKeepsOnlyItsStartAndTheNextMessageIsFine() {
    assertThat(assembler.accept("3")).isNull();
    assertThat(assembler.accept("{\"t\":\"d\",\"d\":{\"r\":7," + "x".repeat(600))).isNull();
    assertThat(assembler.accept("y".repeat(600))).isNull();
    FrameAssembler.Message m = assembler.accept("z".repeat(600));
    assertThat(m.truncated()).isTrue();
    assertThat(m.frames()).isEqualTo(3);
    assertThat(m.text()).startsWith("{\"t\":\"d\",\"d\":{\"r\":7,").hasSizeLessThanOrEqualTo(Frames.MAX_PIECE_CHARS);
    assertThat(assembler.accept("{}")).isEqualTo(new FrameAssembler.Message("{}", 1, false));

    FrameAssembler.Message single = assembler.accept("q".repeat(1_001));
    assertThat(single.truncated()).isTrue();
  }

  @Test
  void aCountAnnouncingMorePiecesThanTheLongestMessageNeedsIsRefused() {
    FrameAssembler small = new FrameAssembler(16_384 * 10);
    assertThat(small.maxPieces()).isEqualTo(20);
    FrameAssembler.Message refused = small.accept("1e9");
    assertThat(refused.refusal()).contains("Invalid frame count 1e9").contains("at most 20 pieces");
    assertThat(refused.text()).isNull();
    assertThat(small.inProgress()).isFalse();
    // what follows is read as whole messages again, not swallowed as pieces
    assertThat(small.accept("{}")).isEqualTo(new FrameAssembler.Message("{}", 1, false));
    assertThat(small.accept("999999").refusal()).isNotNull();
    assertThat(small.accept("20")).isNull();
    assertThat(small.inProgress()).isTrue();
  }

  @Test
  void theDefaultLimitAdmitsTheSdksLargestMessages() {
    FrameAssembler defaults = new FrameAssembler(16 * 1024 * 1024 + 64 * 1024);
    assertThat(defaults.maxPieces()).isGreaterThanOrEqualTo(1_028 * 2);
    assertThat(defaults.accept("1028")).isNull();
  }
}
