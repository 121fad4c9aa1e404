package org.wikievents.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a DuckDB store on its own connection: a duplicate of the writer's (same database, own
 * transactions) or a read-only one. Each {@link #read} is one transaction, so all its queries see
 * the same committed batches.
 */
public final class DuckDbReader implements StoreReader {
  private static final String ASOF = "asof";

  private final Connection conn;
  private final Map<String, NamedSql> sql = new HashMap<>();

  DuckDbReader(Connection conn) throws StoreException {
    this.conn = conn;
    try {
      conn.setAutoCommit(false);
    } catch (SQLException e) {
      throw new StoreException("cannot open a read connection: " + e.getMessage(), e);
    }
  }

  /** A reader over an existing store file, opened read-only (no writer may hold it). */
  public static DuckDbReader openReadOnly(java.nio.file.Path file) throws StoreException {
    return new DuckDbReader(DuckDbStore.openReadOnly(file));
  }

  @Override
  public synchronized Snapshot read(List<String> queries, Map<String, Object> params)
      throws StoreException {
    try {
      Map<String, Object> bound = new HashMap<>(params);
      Instant asOf = asOf();
      bound.put(ASOF, asOf == null ? null : LocalDateTime.ofInstant(asOf, ZoneOffset.UTC));
      Map<String, Table> tables = new LinkedHashMap<>();
      for (String name : queries) {
        tables.put(name, run(name, bound));
      }
      conn.commit();
      return new Snapshot(asOf, tables);
    } catch (SQLException e) {
      rollbackQuietly();
      String msg = String.valueOf(e.getMessage());
      throw new StoreException(
          "cannot read the store: " + msg.lines().findFirst().orElse(msg).strip(), e);
    }
  }

  private Instant asOf() throws SQLException {
    Table t = run(ASOF, Map.of());
    Object v = t.rows().isEmpty() ? null : t.rows().get(0).get(0);
    return v == null ? null : Instant.parse((String) v);
  }

  private Table run(String name, Map<String, Object> params) throws SQLException {
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
      return table(ps);
    }
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

  private void rollbackQuietly() {
    try {
      conn.rollback();
    } catch (SQLException ignored) {
      // The original failure is what the caller needs to see.
    }
  }

  @Override
  public synchronized void close() throws StoreException {
    try {
      conn.close();
    } catch (SQLException e) {
      throw new StoreException("cannot close the read connection: " + e.getMessage(), e);
    }
  }
}
