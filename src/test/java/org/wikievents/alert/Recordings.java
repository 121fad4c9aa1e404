package org.wikievents.alert;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.wikievents.source.RecordedEventServer;

/** Recordings for the alert tests: the real 2026 sample, with a synthetic spike added. */
final class Recordings {
  static final String SAMPLE = "recentchange-2026-05-05-multiwiki";
  static final String SPIKE_WIKI = "spikewiki";
  static final int SPIKE_EVENTS = 100;
  private static final ObjectMapper JSON = new ObjectMapper();

  private Recordings() {}

  static List<String> sample() throws IOException {
    return RecordedEventServer.sample(SAMPLE);
  }

  /**
   * One event in each of the three weeks before (so this weekday-hour has been seen four times and
   * every wiki's usual is a quarter of its hour), then {@code base}, then {@value #SPIKE_EVENTS}
   * changes of one page of {@link #SPIKE_WIKI} spread over the sample's 40 seconds.
   */
  static List<String> withSpike(List<String> base) throws IOException {
    ObjectNode template = (ObjectNode) JSON.readTree(sample().get(0));
    Instant t0 = Instant.parse(template.get("meta").get("dt").asText());
    List<String> lines = new ArrayList<>();
    for (int week = 1; week <= 3; week++) {
      lines.add(event(template, "otherwiki", t0.minus(Duration.ofDays(7L * week))));
    }
    lines.addAll(withPageSpike(base));
    return lines;
  }

  /**
   * {@code base} and {@value #SPIKE_EVENTS} changes of one page of {@link #SPIKE_WIKI} in the
   * sample's 40 seconds, in time order (for a replay paced by event time).
   */
  static List<String> withPageSpike(List<String> base) throws IOException {
    ObjectNode template = (ObjectNode) JSON.readTree(sample().get(0));
    Instant t0 = Instant.parse(template.get("meta").get("dt").asText());
    List<String> lines = new ArrayList<>(base);
    for (int i = 0; i < SPIKE_EVENTS; i++) {
      lines.add(event(template, SPIKE_WIKI, t0.plusMillis(400L * i)));
    }
    lines.sort(Comparator.comparing(Recordings::time));
    return lines;
  }

  /** {@code n} changes timestamped now, as a live feed would bring them. */
  static List<String> now(int n) throws IOException {
    ObjectNode template = (ObjectNode) JSON.readTree(sample().get(0));
    Instant now = Instant.now();
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ObjectNode e = (ObjectNode) JSON.readTree(event(template, "livewiki", now.plusMillis(i)));
      e.put("title", "Page " + i);
      lines.add(e.toString());
    }
    return lines;
  }

  private static Instant time(String line) {
    try {
      return Instant.parse(JSON.readTree(line).get("meta").get("dt").asText());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String event(ObjectNode template, String wiki, Instant at) {
    ObjectNode e = template.deepCopy();
    ObjectNode meta = (ObjectNode) e.get("meta");
    meta.put("id", UUID.randomUUID().toString());
    meta.put("dt", at.toString());
    e.put("timestamp", at.getEpochSecond());
    e.put("wiki", wiki);
    return e.toString();
  }

  static Path write(Path file, List<String> lines) throws IOException {
    Files.write(file, (String.join("\n", lines) + "\n").getBytes(UTF_8));
    return file;
  }
}
