package org.wikievents.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Memory of {@code run} with its defaults (as bin/wiki-events starts it: 512 MB heap; DuckDB 1GB
 * memory limit, 2 threads) over a long replay at full speed: resident set size (RSS) when the store
 * holds each of {@code marks} events, and the peak (VmHWM). Benchmark part {@code rss}.
 */
final class RunMemory {
  private static final ObjectMapper JSON = new ObjectMapper();

  private RunMemory() {}

  static Map<String, Object> measure(Path input, Path db, List<Long> marks) throws Exception {
    Benchmark.deleteStore(db);
    Path log = db.resolveSibling(db.getFileName() + ".run.log");
    List<String> cmd =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx512m",
            "-XX:+ExitOnOutOfMemoryError",
            "-cp",
            System.getProperty("java.class.path"),
            "org.wikievents.Main",
            "run",
            "--replay",
            input.toString(),
            "--speed",
            "max",
            "--port",
            "0",
            "--db",
            db.toString());
    Process p =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    HttpClient http = HttpClient.newHttpClient();
    List<Map<String, Object>> points = new ArrayList<>();
    long start = System.nanoTime();
    try {
      URI health = awaitHealthUri(p, log);
      int next = 0;
      boolean done = false;
      while (!done && p.isAlive()) {
        TimeUnit.MILLISECONDS.sleep(500);
        JsonNode h =
            JSON.readTree(
                http.send(
                        HttpRequest.newBuilder(health).build(),
                        HttpResponse.BodyHandlers.ofString())
                    .body());
        long stored = h.path("ingest").path("stored").asLong();
        done = h.path("ingest").path("state").asText().equals("finished");
        while (next < marks.size() && (stored >= marks.get(next) || done)) {
          Map<String, Object> point = new LinkedHashMap<>();
          point.put("mark", marks.get(next));
          point.put("events_stored", stored);
          point.put("seconds", (System.nanoTime() - start) / 1e9);
          point.put("rss_mb", status(p.pid(), "VmRSS:") / 1024.0);
          point.put("peak_rss_mb", status(p.pid(), "VmHWM:") / 1024.0);
          points.add(point);
          System.out.printf(
              Locale.ROOT,
              "run (defaults) after %,d events: RSS %.0f MB, peak %.0f MB, %.0f s%n",
              stored,
              point.get("rss_mb"),
              point.get("peak_rss_mb"),
              point.get("seconds"));
          next++;
        }
      }
      if (!done) {
        throw new IllegalStateException(
            "run ended before the replay did:\n" + Files.readString(log, StandardCharsets.UTF_8));
      }
    } finally {
      p.destroy();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("settings", "bin/wiki-events defaults: -Xmx512m, --memory-limit 1GB, --threads 2");
    r.put("points", points);
    return r;
  }

  private static URI awaitHealthUri(Process p, Path log) throws Exception {
    Pattern url = Pattern.compile("dashboard on (http://[^\\s;]+)");
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (System.nanoTime() < deadline && p.isAlive()) {
      Matcher m = url.matcher(Files.readString(log, StandardCharsets.UTF_8));
      if (m.find()) {
        return URI.create(m.group(1) + "/health");
      }
      TimeUnit.MILLISECONDS.sleep(100);
    }
    throw new IllegalStateException("run did not start:\n" + Files.readString(log));
  }

  /** A field of /proc/PID/status in kB. */
  private static long status(long pid, String field) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
      if (line.startsWith(field)) {
        return Long.parseLong(line.replaceAll("\\D", ""));
      }
    }
    return 0;
  }
}
