package org.wikievents.source;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Sits between an SSE byte stream and OkHttp's SSE reader, which keeps a whole line and a whole
 * event in memory: an event longer than the cap is cut there (its first {@code maxEventBytes} are
 * kept, the rest of it is skipped up to the blank line that ends it), so one huge line cannot
 * exhaust memory; the cut event is then quarantined as too large. Also counts lines that are
 * neither a field nor a comment, which the SSE reader skips without a word.
 */
final class SseLimiter extends FilterInputStream {
  private static final byte[][] FIELDS = {
    "data".getBytes(StandardCharsets.US_ASCII),
    "event".getBytes(StandardCharsets.US_ASCII),
    "id".getBytes(StandardCharsets.US_ASCII),
    "retry".getBytes(StandardCharsets.US_ASCII)
  };
  private static final int HEAD = 8;

  private final long maxEventBytes;
  private long eventBytes;
  private boolean lineHasContent;
  private boolean cutting;
  private long cuts;
  private long strayLines;
  private final byte[] head = new byte[HEAD];
  private int headLength;

  SseLimiter(InputStream in, long maxEventBytes) {
    super(in);
    this.maxEventBytes = maxEventBytes;
  }

  /** Events cut at the cap so far. */
  long cuts() {
    return cuts;
  }

  /** Lines that were neither a field ({@code data:}, {@code event:}, ...) nor a comment. */
  long strayLines() {
    return strayLines;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n;
    while ((n = read(one, 0, 1)) == 0) {
      // a byte that was skipped: read on
    }
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    while (true) {
      int n = in.read(b, off, len);
      if (n < 0) {
        endLine();
        return -1;
      }
      int out = off;
      for (int i = off; i < off + n; i++) {
        byte c = b[i];
        if (c == '\n') {
          if (!lineHasContent) {
            // A blank line ends the event: what follows is kept again.
            eventBytes = 0;
            cutting = false;
            b[out++] = c;
          } else {
            endLine();
            if (!cutting) {
              b[out++] = c;
            }
          }
          lineHasContent = false;
          headLength = 0;
          continue;
        }
        if (c != '\r') {
          lineHasContent = true;
          if (headLength < HEAD) {
            head[headLength++] = c;
          }
        }
        if (cutting) {
          continue;
        }
        if (eventBytes >= maxEventBytes) {
          // End the cut line here; the event's remaining lines are skipped.
          cutting = true;
          cuts++;
          b[out++] = '\n';
          continue;
        }
        eventBytes++;
        b[out++] = c;
      }
      if (out > off) {
        return out - off;
      }
    }
  }

  private void endLine() {
    if (lineHasContent && !isFieldOrComment()) {
      strayLines++;
    }
  }

  private boolean isFieldOrComment() {
    if (headLength > 0 && head[0] == ':') {
      return true;
    }
    for (byte[] f : FIELDS) {
      if (headLength >= f.length && startsWith(f)) {
        // "data" alone is a field too (with an empty value).
        return headLength == f.length || head[f.length] == ':' || head[f.length] == '\r';
      }
    }
    return false;
  }

  private boolean startsWith(byte[] f) {
    for (int i = 0; i < f.length; i++) {
      if (head[i] != f[i]) {
        return false;
      }
    }
    return true;
  }

  @Override
  public long skip(long n) throws IOException {
    throw new IOException("skip is not supported");
  }

  @Override
  public boolean markSupported() {
    return false;
  }
}
