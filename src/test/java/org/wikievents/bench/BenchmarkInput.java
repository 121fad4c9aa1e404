package org.wikievents.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.wikievents.testing.Samples;

/**
 * Benchmark input: the real 2026 sample (2,476 events from 70 wikis over 46 s) repeated until N
 * events. Repetition k gets new ids (the UUID's high bits xor k, so all stay distinct) and its
 * times shifted by k × 46 s, so the data spreads over minutes and hours at the sample's real
 * density (1M events ≈ 5 hours, 10M ≈ 2 days). Everything else in each event is kept byte for byte.
 */
final class BenchmarkInput {
  private static final long SHIFT_MILLIS = 46_000;

  private BenchmarkInput() {}

  /** Writes {@code events} events to {@code file} unless it already holds them. */
  static Path generate(Path file, long events) throws IOException {
    if (Files.exists(file) && Files.exists(done(file))) {
      return file;
    }
    Files.createDirectories(file.toAbsolutePath().getParent());
    List<Template> templates = new ArrayList<>();
    for (String line : Samples.lines(Samples.MULTIWIKI_2026)) {
      templates.add(Template.of(line));
    }
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      long written = 0;
      StringBuilder b = new StringBuilder(4096);
      for (long k = 0; written < events; k++) {
        for (Template t : templates) {
          if (written++ >= events) {
            break;
          }
          t.render(k, b);
          w.append(b).append('\n');
        }
      }
    }
    Files.writeString(done(file), Long.toString(events));
    return file;
  }

  private static Path done(Path file) {
    return file.resolveSibling(file.getFileName() + ".done");
  }

  /** One sample line with the places of meta.id, meta.dt and timestamp located once. */
  private record Template(String line, int idAt, int dtAt, int dtEnd, int tsAt, int tsEnd) {
    static Template of(String line) {
      int meta = line.indexOf("\"meta\":{");
      int id = line.indexOf("\"id\":\"", meta) + 6;
      int dt = line.indexOf("\"dt\":\"", meta) + 6;
      int dtEnd = line.indexOf('"', dt);
      int ts = line.indexOf("\"timestamp\":") + 12;
      int tsEnd = ts;
      while (Character.isDigit(line.charAt(tsEnd))) {
        tsEnd++;
      }
      return new Template(line, id, dt, dtEnd, ts, tsEnd);
    }

    void render(long k, StringBuilder b) {
      b.setLength(0);
      UUID id = UUID.fromString(line.substring(idAt, idAt + 36));
      UUID shifted =
          new UUID(id.getMostSignificantBits() ^ (k << 32), id.getLeastSignificantBits());
      Instant dt = Instant.parse(line.substring(dtAt, dtEnd)).plusMillis(k * SHIFT_MILLIS);
      long ts = Long.parseLong(line.substring(tsAt, tsEnd)) + k * SHIFT_MILLIS / 1000;
      TreeMap<Integer, String[]> cuts = new TreeMap<>();
      cuts.put(idAt, new String[] {shifted.toString(), Integer.toString(idAt + 36)});
      cuts.put(dtAt, new String[] {dt.toString(), Integer.toString(dtEnd)});
      cuts.put(tsAt, new String[] {Long.toString(ts), Integer.toString(tsEnd)});
      int from = 0;
      for (Map.Entry<Integer, String[]> c : cuts.entrySet()) {
        b.append(line, from, c.getKey()).append(c.getValue()[0]);
        from = Integer.parseInt(c.getValue()[1]);
      }
      b.append(line, from, line.length());
    }
  }
}
