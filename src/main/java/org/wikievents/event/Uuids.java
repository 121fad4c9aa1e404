package org.wikievents.event;

import org.jspecify.annotations.Nullable;

/** Strict parsing of the canonical 36-character UUID form ({@link java.util.UUID} is lenient). */
final class Uuids {
  private Uuids() {}

  /** Returns {most, least} significant bits, or null if {@code s} is not a canonical UUID. */
  static long @Nullable [] parse(String s) {
    if (s.length() != 36
        || s.charAt(8) != '-'
        || s.charAt(13) != '-'
        || s.charAt(18) != '-'
        || s.charAt(23) != '-') {
      return null;
    }
    long hi = 0;
    long lo = 0;
    int digits = 0;
    for (int i = 0; i < 36; i++) {
      char c = s.charAt(i);
      if (c == '-' && (i == 8 || i == 13 || i == 18 || i == 23)) {
        continue;
      }
      int v = Character.digit(c, 16);
      if (v < 0 || c > 'f') {
        return null;
      }
      if (digits < 16) {
        hi = (hi << 4) | v;
      } else {
        lo = (lo << 4) | v;
      }
      digits++;
    }
    return new long[] {hi, lo};
  }
}
