package io.canopy.gateway.ws;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class FramesTest {
  private static final int MAX = Frames.MAX_PIECE_CHARS;

  @Test
  void aMessageUpToTheLimitIsOneFrame() {
    assertThat(Frames.split("{}")).containsExactly("{}");
    String exact = "x".repeat(MAX);
    assertThat(Frames.split(exact)).containsExactly(exact);
  }

  @Test
  void aLongerMessageIsACountThenPiecesOfAtMostTheLimit() {
    String message = "a".repeat(MAX) + "b".repeat(MAX) + "c";
    List<String> frames = Frames.split(message);
    assertThat(frames).hasSize(4);
    assertThat(frames.get(0)).isEqualTo("3");
    assertThat(frames.get(1)).isEqualTo("a".repeat(MAX));
    assertThat(frames.get(2)).isEqualTo("b".repeat(MAX));
    assertThat(frames.get(3)).isEqualTo("c");
  }

  @Test
  void aSurrogatePairOnTheBoundaryStaysInOnePiece() {
    String emoji = "\uD83D\uDE00"; // 😀, two UTF-16 units
    String message = "x".repeat(MAX - 1) + emoji + "y".repeat(10);
    List<String> frames = Frames.split(message);
    assertThat(frames.get(0)).isEqualTo("2");
    assertThat(frames.get(1)).isEqualTo("x".repeat(MAX - 1)).hasSize(MAX - 1);
    assertThat(frames.get(2)).isEqualTo(emoji + "y".repeat(10));
    assertThat(String.join("", frames.subList(1, frames.size()))).isEqualTo(message);
  }

  @Test
  void piecesOfManySurrogatePairsAreValidUtf16AndReassembleExactly() {
    String message = "z" + "\uD83C\uDF33".repeat(3 * MAX); // odd start: every boundary falls inside a pair
    List<String> frames = Frames.split(message);
    int count = Integer.parseInt(frames.get(0));
    assertThat(frames).hasSize(count + 1);
    for (String piece : frames.subList(1, frames.size())) {
      assertThat(piece.length()).isBetween(1, MAX);
      assertThat(Character.isLowSurrogate(piece.charAt(0))).isFalse();
      assertThat(Character.isHighSurrogate(piece.charAt(piece.length() - 1))).isFalse();
    }
    assertThat(String.join("", frames.subList(1, frames.size()))).isEqualTo(message);
  }

  @Test
  void theCountIsNeverZeroOrOne() {
    for (int length : new int[] {MAX + 1, 2 * MAX, 2 * MAX + 1, 10 * MAX}) {
      String count = Frames.split("q".repeat(length)).get(0);
      assertThat(Integer.parseInt(count)).isGreaterThan(1);
    }
  }

  @Test
  void roundTripsThroughTheAssembler() {
    String message = "{\"t\":\"d\",\"d\":\"" + "é\uD83D\uDE00".repeat(20_000) + "\"}";
    FrameAssembler assembler = new FrameAssembler(Integer.MAX_VALUE);
    FrameAssembler.Message out = null;
    List<String> frames = Frames.split(message);
    for (String frame : frames) {
      assertThat(out).isNull();
      out = assembler.accept(frame);
    }
    assertThat(out).isNotNull();
    assertThat(out.text()).isEqualTo(message);
    assertThat(out.frames()).isEqualTo(frames.size() - 1);
    assertThat(out.truncated()).isFalse();
  }
}
