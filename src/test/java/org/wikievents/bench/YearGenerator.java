package org.wikievents.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.wikievents.store.SqlScript;

/**
 * Synthetic {@code recentchange} events for a realistic year, calibrated on the real recordings
 * (docs/performance.md, "A realistic year"): about 900 wikis with a heavy-tailed share, Zipf titles
 * and users, the type, bot, namespace and size mixes of the samples, daily and weekly cycles,
 * bursts of one bot, new pages and temporary accounts. The model is SQL run inside DuckDB
 * (sql/duckdb/bench/year_*.sql), so the year store's billion rows are made at DuckDB's speed; the
 * same rows come out as NDJSON lines for {@code replay} and {@code run --replay}. Every choice is a
 * hash of the seed, the minute and the event's index: the same seed gives the same events.
 *
 * <p>The wiki shares: the 70 wikis of the 2026 recording with their counts there (two single-bot
 * bursts taken out, since the model adds bursts of its own), then ranks 71 to 900 on the Zipf law
 * fitted to ranks 3 to 40 of that recording.
 */
public final class YearGenerator {
  /** The live feed's long-run rate (issue 12): 35 events/s, about 3 million a day. */
  public static final double REAL_RATE = 35.0;

  public static final int WIKIS = 900;

  /** Titles over all wikis, shared out by wiki share (at least 5,000 a wiki). */
  static final long TITLES = 40_000_000L;

  static final int BURSTS_PER_DAY = 6;

  /** A burst lasts 5 to 90 minutes at 2 to 10 events/s: its mean events, for the base rate. */
  static final double BURST_EVENTS = 47.5 * 60 * 6;

  private final Connection conn;
  private final long seed;
  private final double rate;

  /** Installs the model's tables and macros (temporary, this connection only). */
  public YearGenerator(Connection conn, long seed, double eventsPerSecond) throws SQLException {
    this.conn = conn;
    this.seed = seed;
    this.rate = eventsPerSecond;
    try (Statement st = conn.createStatement()) {
      st.execute(
          "CREATE OR REPLACE TEMP TABLE year_wikis (wiki VARCHAR, domain VARCHAR, kind TINYINT,"
              + " share DOUBLE, cum_lo DOUBLE, cum_hi DOUBLE, titles BIGINT)");
    }
    try (PreparedStatement ps =
        conn.prepareStatement("INSERT INTO year_wikis VALUES (?, ?, ?, ?, ?, ?, ?)")) {
      double cum = 0;
      List<Wiki> wikis = wikis();
      for (int i = 0; i < wikis.size(); i++) {
        Wiki w = wikis.get(i);
        ps.setString(1, w.name());
        ps.setString(2, w.domain());
        ps.setInt(3, w.name().equals("commonswiki") ? 0 : w.name().equals("wikidatawiki") ? 1 : 2);
        ps.setDouble(4, w.share());
        ps.setDouble(5, cum);
        cum += w.share();
        // The last wiki closes the interval exactly, whatever the rounding of the sum.
        ps.setDouble(6, i == wikis.size() - 1 ? 2.0 : cum);
        ps.setLong(7, Math.max(5_000, Math.round(w.share() * TITLES)));
        ps.addBatch();
      }
      ps.executeBatch();
    }
    for (String sql : SqlScript.statements("duckdb", "bench/year_setup")) {
      try (Statement st = conn.createStatement()) {
        st.execute(sql);
      }
    }
    try (Statement st = conn.createStatement()) {
      st.execute(SqlScript.statement("duckdb", "bench/year_events"));
    }
  }

  /** One wiki of the model and its share of all events. */
  public record Wiki(String name, String domain, double share) {}

  /** The 900 wikis, largest share first; shares sum to 1. */
  public static List<Wiki> wikis() {
    List<String[]> measured = new ArrayList<>();
    try (InputStream in = YearGenerator.class.getResourceAsStream("/year/wikis-2026-05-05.csv")) {
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (!line.isBlank() && !line.startsWith("#")) {
          measured.add(line.split(","));
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    // Least squares of log(count) on log(rank) over ranks 3..40: the tail's exponent and scale.
    double sx = 0;
    double sy = 0;
    double sxx = 0;
    double sxy = 0;
    int n = 0;
    for (int r = 3; r <= 40; r++) {
      double x = Math.log(r);
      double y = Math.log(Math.max(1, Long.parseLong(measured.get(r - 1)[2])));
      sx += x;
      sy += y;
      sxx += x * x;
      sxy += x * y;
      n++;
    }
    double slope = (n * sxy - sx * sy) / (n * sxx - sx * sx);
    double scale = Math.exp((sy - slope * sx) / n);
    List<String> names = new ArrayList<>();
    List<String> domains = new ArrayList<>();
    List<Double> weights = new ArrayList<>();
    Set<String> seen = new LinkedHashSet<>();
    for (String[] m : measured) {
      names.add(m[0]);
      domains.add(m[1]);
      // Wikis the recording saw only in a burst still get the weight of one event.
      weights.add(Math.max(1.0, Double.parseDouble(m[2])));
      seen.add(m[0]);
    }
    outer:
    for (String project : PROJECTS) {
      for (String lang : LANGUAGES) {
        if (names.size() >= WIKIS) {
          break outer;
        }
        String name = lang.replace('-', '_') + project.split(":")[0];
        if (seen.add(name)) {
          names.add(name);
          domains.add(lang + "." + project.split(":")[1]);
          weights.add(scale * Math.pow(names.size(), slope));
        }
      }
    }
    double total = weights.stream().mapToDouble(Double::doubleValue).sum();
    List<Wiki> out = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      out.add(new Wiki(names.get(i), domains.get(i), weights.get(i) / total));
    }
    return out;
  }

  /**
   * Lays out the minutes of [from, to) and how many events each holds; {@link #insertSilver} and
   * {@link #writeNdjson} then read them.
   */
  public long slots(Instant from, Instant to) throws SQLException {
    double burstScale = rate / REAL_RATE;
    double baseRate = rate - BURSTS_PER_DAY * BURST_EVENTS * burstScale / 86_400;
    try (PreparedStatement ps =
        conn.prepareStatement(SqlScript.statement("duckdb", "bench/year_slots"))) {
      ps.setObject(1, LocalDateTime.ofInstant(from, ZoneOffset.UTC));
      ps.setObject(2, LocalDateTime.ofInstant(to, ZoneOffset.UTC));
      ps.setLong(3, seed);
      ps.setDouble(4, baseRate * 60);
      ps.setInt(5, BURSTS_PER_DAY);
      ps.setDouble(6, burstScale);
      ps.execute();
    }
    try (Statement st = conn.createStatement();
        ResultSet rs = st.executeQuery("SELECT coalesce(sum(n), 0) FROM year_slots")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /**
   * Keeps one laid-out minute in every {@code minutes} (counted from the epoch), so a year of event
   * time at a reduced rate comes in a few hundred clumps rather than thousands of lone events: the
   * store looks silver up once per clump of nearby event times and expires silver an hour of events
   * at a time, so lone events an hour apart cost one lookup each and one expiry unit each. A step
   * of a day and an hour walks the kept minute round the clock. Returns the events kept.
   */
  public long keepOneMinuteIn(long minutes) throws SQLException {
    try (PreparedStatement ps =
        conn.prepareStatement(
            "DELETE FROM year_slots WHERE (epoch(minute)::BIGINT // 60) % ? <> 0")) {
      ps.setLong(1, minutes);
      ps.execute();
    }
    try (Statement st = conn.createStatement();
        ResultSet rs = st.executeQuery("SELECT coalesce(sum(n), 0) FROM year_slots")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /**
   * The laid-out events into silver as batch {@code batchId}: every column, or ({@code full} false)
   * only those gold is made of.
   */
  public long insertSilver(long batchId, boolean full) throws SQLException {
    try (PreparedStatement ps =
        conn.prepareStatement(
            SqlScript.statement("duckdb", full ? "bench/year_silver" : "bench/year_silver_slim"))) {
      ps.setLong(1, batchId);
      return ps.executeUpdate();
    }
  }

  /** The laid-out events as recentchange JSON lines, in arrival order; returns how many. */
  public long writeNdjson(Path file) throws SQLException, IOException {
    long lines = 0;
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        Statement st = conn.createStatement();
        ResultSet rs = st.executeQuery(SqlScript.statement("duckdb", "bench/year_ndjson"))) {
      while (rs.next()) {
        w.write(rs.getString(1));
        w.write('\n');
        lines++;
      }
    }
    return lines;
  }

  /** Wikimedia's projects: the suffix of a wiki's name and its domain. */
  private static final List<String> PROJECTS =
      List.of(
          "wiki:wikipedia.org",
          "wiktionary:wiktionary.org",
          "wikisource:wikisource.org",
          "wikibooks:wikibooks.org",
          "wikiquote:wikiquote.org",
          "wikivoyage:wikivoyage.org",
          "wikinews:wikinews.org",
          "wikiversity:wikiversity.org");

  /** Language codes of Wikipedias, roughly by size: the tail's names. */
  private static final List<String> LANGUAGES =
      List.of(
          "en", "de", "fr", "ja", "es", "ru", "it", "zh", "pt", "pl", "nl", "sv", "uk", "ar", "fa",
          "vi", "ko", "id", "he", "cs", "tr", "fi", "hu", "no", "ro", "ca", "sr", "el", "da", "th",
          "bg", "ms", "hy", "eu", "uz", "sk", "eo", "hr", "lt", "sl", "et", "az", "ka", "simple",
          "gl", "hi", "be", "kk", "ur", "ta", "bn", "lv", "tt", "af", "mk", "sq", "ceb", "war",
          "arz", "ce", "nn", "ml", "te", "mr", "bs", "cy", "la", "ast", "sh", "is", "ky", "tg",
          "my", "ne", "oc", "azb", "lb", "jv", "sw", "ga", "pa", "br", "su", "kn", "gu", "an", "mn",
          "io", "ba", "fy", "sco", "ku", "als", "zh-yue", "ckb", "si", "or", "yo", "ps", "am",
          "scn", "lmo", "vec", "nds", "bar", "ia", "wuu", "cv", "sah", "qu", "ht", "mg", "bpy",
          "min", "new", "pms", "os", "ha", "ig", "ilo", "hif", "mzn", "bcl");
}
