package org.wikievents.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Utf8Test {
  @Test
  void agreesWithTheJdkDecoderOnRandomBytes() {
    Random random = new Random(7);
    // Mostly ASCII with a few high bytes, as events are, so every kind of sequence and its
    // truncation comes up next to ASCII runs of every length.
    for (int n = 0; n < 200_000; n++) {
      byte[] b = new byte[random.nextInt(24)];
      for (int i = 0; i < b.length; i++) {
        b[i] = (byte) (random.nextInt(4) == 0 ? 0x80 + random.nextInt(128) : random.nextInt(128));
      }
      assertThat(Utf8.isValid(b)).as(java.util.HexFormat.of().formatHex(b)).isEqualTo(jdk(b));
    }
  }

  @Test
  void acceptsEveryCodePointEncodedByTheJdk() {
    for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp++) {
      if (cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE) {
        continue;
      }
      byte[] b = ("abcdefgh" + Character.toString(cp) + "ij").getBytes(StandardCharsets.UTF_8);
      assertThat(Utf8.isValid(b)).as("U+%04X", cp).isTrue();
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "c0af", // overlong '/'
        "e080af", // overlong, three bytes
        "f08080af", // overlong, four bytes
        "eda080", // a surrogate
        "f4908080", // past U+10FFFF
        "80", // a stray continuation byte
        "e282", // cut short
        "41424344454647e2", // cut short after an ASCII run
        "ff"
      })
  void rejectsMalformedSequences(String hex) {
    byte[] b = java.util.HexFormat.of().parseHex(hex);
    assertThat(jdk(b)).isFalse();
    assertThat(Utf8.isValid(b)).isFalse();
  }

  private static boolean jdk(byte[] b) {
    try {
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(b));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }
}
