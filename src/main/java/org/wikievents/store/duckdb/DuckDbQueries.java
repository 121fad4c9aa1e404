package org.wikievents.store.duckdb;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.wikievents.store.NamedSql;
import org.wikievents.store.ReadValues;
import org.wikievents.store.SqlScript;
import org.wikievents.store.Table;

/**
 * The dashboard's named queries ({@code sql/duckdb/api/<name>.sql}) run on a given connection, in
 * whatever transaction it has open. Safe to share between threads that each use their own
 * connection.
 */
final class DuckDbQueries {
  private static final String VERSION = SqlScript.statement(DuckDbStore.DIALECT, "read_version");

  private final Map<String, NamedSql> sql = new ConcurrentHashMap<>();
  private final Map<String, Long> lastNanos = new ConcurrentHashMap<>();

  Table run(Connection conn, String name, Map<String, Object> params) throws SQLException {
    NamedSql named =
        sql.computeIfAbsent(
            name, n -> NamedSql.parse(SqlScript.statement(DuckDbStore.DIALECT, "api/" + n)));
    try (PreparedStatement ps = conn.prepareStatement(named.jdbc())) {
      for (int i = 0; i < named.names().size(); i++) {
        String p = named.names().get(i);
        if (!params.containsKey(p)) {
          throw new IllegalArgumentException("query " + name + " needs parameter :" + p);
        }
        ps.setObject(i + 1, params.get(p));
      }
      long start = System.nanoTime();
      Table t = table(ps);
      lastNanos.put(name, System.nanoTime() - start);
      return t;
    }
  }

  /**
   * The names, the slowest first as they last ran (never run: first): shared between two
   * connections in that order, the longest queries start at once instead of ending the read on one
   * connection while the other idles.
   */
  List<String> slowestFirst(List<String> names) {
    List<String> sorted = new ArrayList<>(names);
    sorted.sort(
        Comparator.comparingLong((String n) -> lastNanos.getOrDefault(n, Long.MAX_VALUE))
            .reversed());
    return sorted;
  }

  private static Table table(PreparedStatement ps) throws SQLException {
    try (ResultSet rs = ps.executeQuery()) {
      ResultSetMetaData md = rs.getMetaData();
      int n = md.getColumnCount();
      List<String> columns = new ArrayList<>(n);
      for (int i = 1; i <= n; i++) {
        columns.add(md.getColumnLabel(i));
      }
      List<List<Object>> rows = new ArrayList<>();
      while (rs.next()) {
        List<Object> row = new ArrayList<>(n);
        for (int i = 1; i <= n; i++) {
          row.add(ReadValues.plain(rs.getObject(i)));
        }
        rows.add(row);
      }
      return new Table(columns, rows);
    }
  }

  /**
   * The committed state the connection's transaction sees (see {@code read_version.sql}); opens the
   * transaction if none is open, which fixes what it sees.
   */
  static long version(Connection conn) throws SQLException {
    try (PreparedStatement ps = conn.prepareStatement(VERSION);
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
