package org.wikievents.web;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP basic auth (RFC 7617) against one {@code user:password}: any malformed header is simply a
 * failed attempt, and a client address that keeps failing is refused for a while without its
 * password being looked at, so guessing is slow. The comparison is constant-time.
 */
final class BasicAuth {
  /** Failures an address may make in a row before it has to wait. */
  static final int FREE_FAILURES = 5;

  static final long PENALTY_MILLIS = 10_000;
  private static final int TRACKED_ADDRESSES = 10_000;

  enum Verdict {
    OK,
    WRONG,
    WAIT
  }

  private record Failures(int count, long until) {}

  private final byte[] expected;

  /** Failures per client address, oldest first; bounded so spoofed sources cannot grow it. */
  private final Map<String, Failures> failures =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Failures> eldest) {
          return size() > TRACKED_ADDRESSES;
        }
      };

  BasicAuth(String userColonPassword) {
    this.expected = userColonPassword.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * A request without credentials is no attempt (a browser sends none until it has asked the user),
   * so it costs nothing; wrong or malformed ones count against the address.
   */
  Verdict check(String address, String authorization, long nowMillis) {
    if (authorization == null) {
      return Verdict.WRONG;
    }
    synchronized (failures) {
      Failures f = failures.get(address);
      if (f != null && f.until() > nowMillis) {
        return Verdict.WAIT;
      }
    }
    byte[] given = credentials(authorization);
    if (given != null && MessageDigest.isEqual(given, expected)) {
      synchronized (failures) {
        failures.remove(address);
      }
      return Verdict.OK;
    }
    synchronized (failures) {
      Failures f = failures.get(address);
      int count = f == null ? 1 : f.count() + 1;
      // After the free failures every further one costs a growing wait, up to a minute.
      long wait =
          count <= FREE_FAILURES
              ? 0
              : Math.min(60_000, PENALTY_MILLIS * (1L << Math.min(3, count - FREE_FAILURES - 1)));
      failures.put(address, new Failures(count, nowMillis + wait));
    }
    return Verdict.WRONG;
  }

  /** Seconds until the address may try again (for {@code Retry-After}). */
  long retryAfterSeconds(String address, long nowMillis) {
    synchronized (failures) {
      Failures f = failures.get(address);
      return f == null ? 0 : Math.max(1, (f.until() - nowMillis + 999) / 1000);
    }
  }

  /** The decoded {@code user:password} of a Basic header, or null when it is not one. */
  static byte[] credentials(String header) {
    if (header == null) {
      return null;
    }
    // "Basic" (any case, RFC 7617), one space, the token68: nothing else is a Basic header.
    int space = header.indexOf(' ');
    if (space < 0 || !header.substring(0, space).toLowerCase(Locale.ROOT).equals("basic")) {
      return null;
    }
    String token = header.substring(space + 1);
    if (token.isEmpty() || token.startsWith(" ")) {
      return null;
    }
    byte[] decoded;
    try {
      decoded = Base64.getDecoder().decode(token);
    } catch (IllegalArgumentException e) {
      return null;
    }
    try {
      String s =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(decoded))
              .toString();
      return s.indexOf(':') < 0 ? null : decoded;
    } catch (CharacterCodingException e) {
      return null;
    }
  }
}
