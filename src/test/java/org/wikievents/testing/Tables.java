package org.wikievents.testing;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Compares the contents of two stores, table by table. */
public final class Tables {
  /** When a row was written, not what it says: differs between any two runs. */
  private static final Set<String> WHEN_WRITTEN =
      Set.of("ingest_time", "batch_id", "updated_at", "upgraded_at", "written_at");

  /**
   * How the writes were batched (bronze's file list) and when retention passes ran (how far each
   * reached depends on the newest event each saw), not what the store holds.
   */
  private static final Set<String> HOW_WRITTEN = Set.of("wiki_raw_files", "wiki_retention");

  private Tables() {}

  /**
   * For every base table of {@code expected}: rows missing from {@code actual} plus rows only in
   * {@code actual}, counted as multisets (so a doubled row is a difference). Empty when equal.
   */
  public static Map<String, Long> differences(Path expected, Path actual) throws SQLException {
    Map<String, Long> diffs = new LinkedHashMap<>();
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = c.createStatement()) {
      st.execute("ATTACH '" + expected + "' AS a (READ_ONLY)");
      st.execute("ATTACH '" + actual + "' AS b (READ_ONLY)");
      for (String table : tables(c)) {
        String cols = String.join(", ", columns(c, table));
        long n = 0;
        for (String[] pair : new String[][] {{"a", "b"}, {"b", "a"}}) {
          // Identifiers from the catalog of a test store, not user input.
          String q =
              "SELECT count(*) FROM (SELECT %s FROM %s.%s EXCEPT ALL SELECT %s FROM %s.%s)"
                  .formatted(cols, pair[0], table, cols, pair[1], table);
          try (ResultSet rs = st.executeQuery(q)) {
            rs.next();
            n += rs.getLong(1);
          }
        }
        if (n > 0) {
          diffs.put(table, n);
        }
      }
    }
    return diffs;
  }

  /** Rows per table and view, to show that a comparison compared something. */
  public static Map<String, Long> counts(Path store) throws SQLException {
    Map<String, Long> counts = new LinkedHashMap<>();
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = c.createStatement()) {
      st.execute("ATTACH '" + store + "' AS a (READ_ONLY)");
      for (String table : tables(c)) {
        try (ResultSet rs = st.executeQuery("SELECT count(*) FROM a." + table)) {
          rs.next();
          counts.put(table, rs.getLong(1));
        }
      }
    }
    return counts;
  }

  private static List<String> tables(Connection c) throws SQLException {
    List<String> names = new ArrayList<>();
    try (ResultSet rs =
        c.createStatement()
            .executeQuery(
                "SELECT table_name FROM information_schema.tables WHERE table_catalog = 'a'"
                    + " ORDER BY table_name")) {
      while (rs.next()) {
        if (!HOW_WRITTEN.contains(rs.getString(1))) {
          names.add(rs.getString(1));
        }
      }
    }
    return names;
  }

  private static List<String> columns(Connection c, String table) throws SQLException {
    List<String> cols = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT column_name FROM information_schema.columns WHERE table_catalog = 'a'"
                + " AND table_name = ? ORDER BY ordinal_position")) {
      ps.setString(1, table);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          if (!WHEN_WRITTEN.contains(rs.getString(1))) {
            cols.add('"' + rs.getString(1) + '"');
          }
        }
      }
    }
    return cols;
  }
}
