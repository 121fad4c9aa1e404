package org.wikievents.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * A seeded fuzz of every endpoint's parameters and headers over plain loopback sockets: each
 * request is a known path with random query parameters (known names with valid, odd and hostile
 * values, unknown names, bad percent-encoding) and random headers. Every answer must come within
 * the deadline, never be a 5xx and never carry a stack trace. The same seed sends the same
 * requests.
 */
public final class ApiFuzz {
  private static final List<String> PATHS = paths();
  private static final List<String> NAMES =
      List.of("wiki", "bot", "type", "range", "format", "from", "to", "x", "", "wiki[]", "%00");
  private static final List<String> VALUES =
      List.of(
          "enwiki",
          "commonswiki",
          "bot",
          "human",
          "edit",
          "new",
          "log",
          "1m",
          "1h",
          "24h",
          "7d",
          "csv",
          "json",
          "",
          " ",
          "%zz",
          "%",
          "%e",
          "%00",
          "%0d%0aX-Injected:%20yes",
          "%ff%fe",
          "'%20OR%201=1--",
          "%3Cscript%3Ealert(1)%3C/script%3E",
          "..%2F..%2Fetc%2Fpasswd",
          "%E2%80%AE",
          "-1",
          "99999999999999999999",
          "NaN",
          "null",
          "true");
  private static final List<String> ACCEPTS =
      List.of("text/event-stream", "*/*", "application/json", "text/csv", "garbage", "");

  /** What the fuzz saw: answers by status, and the failures (empty when all held). */
  public record Result(int requests, Map<Integer, Integer> byStatus, List<String> failures) {}

  private ApiFuzz() {}

  private static List<String> paths() {
    List<String> p = new ArrayList<>();
    for (Panel panel : Panel.values()) {
      p.add("/api/" + panel.path);
    }
    p.addAll(
        List.of(
            "/api/wikis",
            "/api/snapshot",
            "/api/live",
            "/health",
            "/metrics",
            "/",
            "/app.js",
            "/index.html",
            "/api/",
            "/api/nope",
            "/%2e%2e/%2e%2e/etc/passwd",
            "/api/kpis/../health"));
    return List.copyOf(p);
  }

  /**
   * @param auth the dashboard's {@code user:password}, or null: then Authorization headers are
   *     random, with the right one among them
   */
  public static Result run(int port, long seed, int requests, Duration deadline, String auth)
      throws IOException {
    Random r = new Random(seed);
    Map<Integer, Integer> byStatus = new TreeMap<>();
    List<String> failures = new ArrayList<>();
    for (int i = 0; i < requests; i++) {
      String target = target(r);
      String headers = headers(r, auth);
      String request = "GET " + target + " HTTP/1.1\r\n" + headers + "Connection: close\r\n\r\n";
      long start = System.nanoTime();
      String answer;
      try (RawHttp c = RawHttp.connect(port)) {
        c.send(request);
        // A live stream stays open: its head and first bytes are the answer.
        answer = c.rest(target.startsWith("/api/live") ? Duration.ofMillis(300) : deadline);
      }
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      int status = answer.length() >= 12 ? RawHttp.status(answer) : -1;
      byStatus.merge(status, 1, Integer::sum);
      String problem =
          status < 0
              ? "no answer"
              : status >= 500
                  ? "answered " + status
                  : answer.contains("\tat ") || answer.contains("Exception")
                      ? "stack trace in the answer"
                      : took.compareTo(deadline) > 0 ? "took " + took.toMillis() + " ms" : null;
      if (problem != null && failures.size() < 20) {
        failures.add(problem + ": " + request.replace("\r\n", " | "));
      }
    }
    return new Result(requests, byStatus, failures);
  }

  private static String target(Random r) {
    String path = PATHS.get(r.nextInt(PATHS.size()));
    int params = r.nextInt(4);
    if (params == 0) {
      return path;
    }
    StringBuilder q = new StringBuilder(path).append('?');
    for (int i = 0; i < params; i++) {
      if (i > 0) {
        q.append('&');
      }
      q.append(NAMES.get(r.nextInt(NAMES.size())))
          .append('=')
          .append(r.nextInt(10) == 0 ? randomValue(r) : VALUES.get(r.nextInt(VALUES.size())));
    }
    return q.toString();
  }

  /** URL-safe random characters, sometimes long. */
  private static String randomValue(Random r) {
    int n = r.nextInt(10) == 0 ? 2000 + r.nextInt(3000) : r.nextInt(40);
    StringBuilder b = new StringBuilder();
    String alphabet = "abcXYZ019-_.~%+";
    for (int i = 0; i < n; i++) {
      b.append(alphabet.charAt(r.nextInt(alphabet.length())));
    }
    return b.toString();
  }

  private static String headers(Random r, String auth) {
    StringBuilder h = new StringBuilder();
    switch (r.nextInt(6)) {
      case 0 -> h.append("Host: localhost\r\n");
      case 1 -> h.append("Host: evil.example\r\n");
      case 2 -> h.append("Host: [::1]:8080\r\n");
      default -> h.append("Host: 127.0.0.1\r\n");
    }
    if (r.nextBoolean()) {
      h.append("Accept: ").append(ACCEPTS.get(r.nextInt(ACCEPTS.size()))).append("\r\n");
    }
    switch (r.nextInt(8)) {
      case 0 -> h.append("Authorization: Basic ").append(randomBase64(r)).append("\r\n");
      case 1 -> h.append("Authorization: basic !!!notbase64***\r\n");
      case 2 -> h.append("Authorization: Bearer x\r\n");
      case 3 -> {
        if (auth != null) {
          h.append("Authorization: Basic ")
              .append(Base64.getEncoder().encodeToString(auth.getBytes(StandardCharsets.UTF_8)))
              .append("\r\n");
        }
      }
      default -> {}
    }
    if (r.nextInt(4) == 0) {
      h.append("Range: bytes=").append(r.nextInt(100)).append("-\r\n");
    }
    if (r.nextInt(4) == 0) {
      h.append("If-None-Match: \"").append(randomValue(r)).append("\"\r\n");
    }
    if (r.nextInt(4) == 0) {
      h.append("Accept-Encoding: gzip, br, zstd\r\n");
    }
    if (r.nextInt(6) == 0) {
      h.append("Last-Event-ID: ").append(randomValue(r)).append("\r\n");
    }
    return h.toString();
  }

  private static String randomBase64(Random r) {
    byte[] b = new byte[r.nextInt(60)];
    r.nextBytes(b);
    return Base64.getEncoder().encodeToString(b);
  }
}
