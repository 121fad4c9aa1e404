package org.wikievents.testing;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/** Reads a store file back for assertions (opened read-only, after the writer closed it). */
public final class StoreTables implements AutoCloseable {
  private final Connection conn;

  private StoreTables(Connection conn) {
    this.conn = conn;
  }

  public static StoreTables open(Path db) throws SQLException {
    Properties p = new Properties();
    p.setProperty("duckdb.read_only", "true");
    return new StoreTables(DriverManager.getConnection("jdbc:duckdb:" + db, p));
  }

  public long count(String sql) throws SQLException {
    try (Statement st = conn.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  public Set<String> strings(String sql) throws SQLException {
    Set<String> out = new HashSet<>();
    try (Statement st = conn.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  /** Two-column query (text key, number) as a sorted map. */
  public Map<String, Long> longs(String sql) throws SQLException {
    Map<String, Long> out = new TreeMap<>();
    try (Statement st = conn.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) {
        out.put(rs.getString(1), rs.getLong(2));
      }
    }
    return out;
  }

  public Map<String, Double> doubles(String sql) throws SQLException {
    Map<String, Double> out = new TreeMap<>();
    try (Statement st = conn.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) {
        out.put(rs.getString(1), rs.getDouble(2));
      }
    }
    return out;
  }

  /** Every row of a query as text, in the query's order. */
  public List<List<String>> rows(String sql) throws SQLException {
    List<List<String>> out = new ArrayList<>();
    try (Statement st = conn.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      ResultSetMetaData md = rs.getMetaData();
      while (rs.next()) {
        List<String> row = new ArrayList<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
          row.add(rs.getString(i));
        }
        out.add(row);
      }
    }
    return out;
  }

  /** The gold tables read back in the key format of {@link GoldRecompute}. */
  public GoldTables gold() throws SQLException {
    return new GoldTables(
        longs("SELECT strftime(\"interval\", '%Y-%m-%dT%H:%M'), events FROM wiki_minutely_summary"),
        longs("SELECT strftime(\"interval\", '%Y-%m-%dT%H:%M'), events FROM wiki_hourly_summary"),
        longs(
            "SELECT strftime(\"interval\", '%Y-%m-%dT%H:%M') || ' ' || wiki_name, events"
                + " FROM wiki_minutely_bywiki_summary"),
        longs(
            "SELECT strftime(\"interval\", '%Y-%m-%dT%H:%M') || ' ' || wiki_name, events"
                + " FROM wiki_hourly_bywiki_summary"),
        longs("SELECT wiki_name, events FROM wiki_bywiki_summary"),
        doubles(
            "SELECT wiki_name || ' ' || weekday || ' ' || hour, events FROM wiki_weekdays_summary"));
  }

  /** Gold as read from the store. */
  public record GoldTables(
      Map<String, Long> minutely,
      Map<String, Long> hourly,
      Map<String, Long> minutelyByWiki,
      Map<String, Long> hourlyByWiki,
      Map<String, Long> byWiki,
      Map<String, Double> weekdays) {}

  /** A digest of every table's full content, to prove a second replay changed nothing. */
  public Map<String, List<List<String>>> everything() throws SQLException {
    Map<String, List<List<String>>> out = new TreeMap<>();
    for (String table :
        List.of(
            "wiki_raw",
            "wiki",
            "wiki_minutely_summary",
            "wiki_hourly_summary",
            "wiki_minutely_bywiki_summary",
            "wiki_hourly_bywiki_summary",
            "wiki_bywiki_summary",
            "wiki_weekdays_summary",
            "wiki_quarantine",
            "wiki_checkpoint")) {
      out.put(table, rows("SELECT * FROM " + table + " ORDER BY ALL"));
    }
    return out;
  }

  @Override
  public void close() throws SQLException {
    conn.close();
  }
}
