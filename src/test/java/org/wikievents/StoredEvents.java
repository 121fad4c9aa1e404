package org.wikievents;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.wikievents.store.duckdb.DuckDb;

/**
 * What a closed store holds, read back through a read-only connection, for asserting exactly-once
 * ingest against the lines a test served.
 */
record StoredEvents(
    List<String> wikiIds,
    List<String> rawIds,
    Map<String, String> quarantineReasonByData,
    String checkpoint,
    List<String> goldMismatches) {

  private static final ObjectMapper JSON = new ObjectMapper();

  static StoredEvents read(Path db, String stream) throws Exception {
    try (Connection c = DuckDb.openReadOnly(db);
        Statement st = c.createStatement()) {
      Map<String, String> quarantine = new HashMap<>();
      try (ResultSet rs = st.executeQuery("SELECT data, reason FROM wiki_quarantine")) {
        while (rs.next()) {
          quarantine.put(rs.getString(1), rs.getString(2));
        }
      }
      String checkpoint = null;
      try (PreparedStatement ps =
          c.prepareStatement("SELECT sse_id FROM wiki_checkpoint WHERE stream = ?")) {
        ps.setString(1, stream);
        try (ResultSet rs = ps.executeQuery()) {
          checkpoint = rs.next() ? rs.getString(1) : null;
        }
      }
      return new StoredEvents(
          strings(st, "SELECT event_id::VARCHAR FROM wiki"),
          strings(st, "SELECT event_id::VARCHAR FROM wiki_raw"),
          quarantine,
          checkpoint,
          goldMismatches(st));
    }
  }

  /** The meta.id of every line served, except those that must not be stored. */
  static Set<String> metaIds(List<String> lines, List<String> notStored) {
    Set<String> ids = new HashSet<>();
    for (String line : lines) {
      if (!notStored.contains(line)) {
        try {
          ids.add(JSON.readTree(line).path("meta").path("id").asText());
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    return ids;
  }

  /** Every valid line is in silver and bronze exactly once; every malformed one in quarantine. */
  void assertExactlyOnce(Set<String> expectedIds, List<String> malformed) {
    assertThat(wikiIds).as("silver: each event once").doesNotHaveDuplicates();
    assertThat(new HashSet<>(wikiIds)).as("silver: the events served").isEqualTo(expectedIds);
    assertThat(rawIds).as("bronze: each event once").doesNotHaveDuplicates();
    assertThat(new HashSet<>(rawIds)).as("bronze: the events served").isEqualTo(expectedIds);
    assertThat(quarantineReasonByData.keySet())
        .as("quarantine")
        .containsExactlyInAnyOrderElementsOf(malformed);
    assertThat(quarantineReasonByData.values()).allSatisfy(r -> assertThat(r).isNotBlank());
    assertThat(goldMismatches).as("gold rows that differ from a recount of silver").isEmpty();
  }

  /** Gold rows (summaries by minute, hour and wiki) that a recount of silver does not match. */
  private static List<String> goldMismatches(Statement st) throws SQLException {
    List<String> out = new ArrayList<>();
    String[][] pairs = {
      {
        "wiki_minutely_summary",
        "SELECT \"interval\", events FROM wiki_minutely_summary",
        "SELECT date_trunc('minute', event_time), count(*) FROM wiki GROUP BY ALL"
      },
      {
        "wiki_hourly_summary",
        "SELECT \"interval\", events FROM wiki_hourly_summary",
        "SELECT date_trunc('hour', event_time), count(*) FROM wiki GROUP BY ALL"
      },
      {
        "wiki_bywiki_summary",
        "SELECT wiki_name, events FROM wiki_bywiki_summary",
        "SELECT wiki, count(*) FROM wiki GROUP BY ALL"
      },
      {
        "wiki_minutely_bywiki_summary",
        "SELECT \"interval\", wiki_name, events FROM wiki_minutely_bywiki_summary",
        "SELECT date_trunc('minute', event_time), wiki, count(*) FROM wiki GROUP BY ALL"
      }
    };
    for (String[] p : pairs) {
      String diff =
          "SELECT count(*) FROM (("
              + p[1]
              + " EXCEPT "
              + p[2]
              + ") UNION ALL ("
              + p[2]
              + " EXCEPT "
              + p[1]
              + "))";
      try (ResultSet rs = st.executeQuery(diff)) {
        rs.next();
        if (rs.getLong(1) > 0) {
          out.add(p[0] + ": " + rs.getLong(1) + " rows differ");
        }
      }
    }
    return out;
  }

  private static List<String> strings(Statement st, String sql) throws SQLException {
    List<String> out = new ArrayList<>();
    try (ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  static Path db(Path dir) {
    return dir.resolve("wiki-events.duckdb");
  }
}
