package org.wikievents.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.wikievents.store.duckdb.DuckDb;
import org.wikievents.web.Csv;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Ad-hoc read-only SQL on a store. */
@Command(
    name = "sql",
    mixinStandardHelpOptions = true,
    description = {
      "Runs one SQL statement on the store, opened read-only, and prints the result. Statements"
          + " that write only outside the store (COPY ... TO 'file', EXPORT DATABASE 'dir') are"
          + " accepted; anything that would change the store is refused.",
      "DuckDB lets one process open a file for writing: while 'run' is writing the store, query"
          + " it through the dashboard's API instead."
    })
final class SqlCommand implements Callable<Integer> {
  enum Format {
    table,
    csv,
    json
  }

  private static final int MAX_CELL = 80;

  @Spec CommandSpec spec;

  @Mixin StoreOptions storeOptions;

  @Option(
      names = "--format",
      paramLabel = "table|csv|json",
      defaultValue = "table",
      description = "table, csv or json (default: ${DEFAULT-VALUE}).")
  Format format;

  @Parameters(
      paramLabel = "QUERY",
      description = "The SQL query, e.g. \"SELECT * FROM wiki_bywiki_summary\".")
  String query;

  @Override
  public Integer call() throws Exception {
    if (storeOptions.clickhouse != null) {
      throw new IllegalArgumentException(
          "sql reads a DuckDB store; query ClickHouse with its own client (docs/clickhouse.md)");
    }
    PrintWriter out = spec.commandLine().getOut();
    try (Connection c =
            DuckDb.openReadOnly(
                storeOptions.existingDb(), storeOptions.memoryLimit, storeOptions.threads);
        Statement st = c.createStatement()) {
      boolean rows;
      try {
        rows = st.execute(query);
      } catch (SQLException e) {
        throw new IllegalArgumentException(refusal(e));
      }
      if (!rows) {
        // COPY ... TO, EXPORT DATABASE: they wrote outside the store, which stays read-only.
        long n = st.getUpdateCount();
        out.println(n >= 0 ? "done (" + n + (n == 1 ? " row)" : " rows)") : "done");
        out.flush();
        return 0;
      }
      try (ResultSet rs = st.getResultSet()) {
        switch (format) {
          case csv -> csv(rs, out);
          case json -> json(rs, out);
          default -> table(rs, out);
        }
      }
    }
    out.flush();
    return 0;
  }

  /** DuckDB's own words, with what sql does instead when it refuses to change the store. */
  private static String refusal(SQLException e) {
    String msg = Cli.oneLine(e);
    if (msg.contains("read-only") || msg.contains("read only")) {
      return "sql never changes the store (it opens it read-only); statements that write outside"
          + " it, such as COPY (SELECT ...) TO 'file.parquet' or EXPORT DATABASE 'dir', are"
          + " accepted: "
          + msg;
    }
    return msg;
  }

  private static void table(ResultSet rs, PrintWriter out) throws SQLException {
    ResultSetMetaData md = rs.getMetaData();
    int n = md.getColumnCount();
    List<String[]> rows = new ArrayList<>();
    String[] header = new String[n];
    int[] width = new int[n];
    for (int i = 0; i < n; i++) {
      header[i] = md.getColumnLabel(i + 1);
      width[i] = header[i].length();
    }
    while (rs.next()) {
      String[] row = new String[n];
      for (int i = 0; i < n; i++) {
        row[i] = cell(rs.getString(i + 1));
        width[i] = Math.max(width[i], row[i].length());
      }
      rows.add(row);
    }
    printRow(out, header, width);
    StringBuilder rule = new StringBuilder();
    for (int i = 0; i < n; i++) {
      rule.append(i == 0 ? "" : "-+-").append("-".repeat(width[i]));
    }
    out.println(rule);
    for (String[] row : rows) {
      printRow(out, row, width);
    }
    out.println("(" + rows.size() + (rows.size() == 1 ? " row)" : " rows)"));
  }

  private static String cell(String v) {
    if (v == null) {
      return "NULL";
    }
    // Event text is written by anyone: keep control characters out of the terminal.
    String s = v.replaceAll("\\p{Cntrl}", " ");
    return s.length() > MAX_CELL ? s.substring(0, MAX_CELL - 1) + "…" : s;
  }

  private static void printRow(PrintWriter out, String[] row, int[] width) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < row.length; i++) {
      b.append(i == 0 ? "" : " | ").append(row[i]).append(" ".repeat(width[i] - row[i].length()));
    }
    out.println(b.toString().stripTrailing());
  }

  private static void csv(ResultSet rs, PrintWriter out) throws SQLException {
    ResultSetMetaData md = rs.getMetaData();
    int n = md.getColumnCount();
    boolean[] text = new boolean[n + 1];
    List<String> header = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      header.add(Csv.field(md.getColumnLabel(i), true));
      text[i] = !VALUE_TYPES.contains(md.getColumnType(i));
    }
    out.println(String.join(",", header));
    while (rs.next()) {
      List<String> row = new ArrayList<>();
      for (int i = 1; i <= n; i++) {
        String v = rs.getString(i);
        row.add(v == null ? "" : Csv.field(v, text[i]));
      }
      out.println(String.join(",", row));
    }
  }

  /** Column types whose values no one writes: a leading {@code -} there is a sign, no formula. */
  private static final Set<Integer> VALUE_TYPES =
      Set.of(
          Types.TINYINT,
          Types.SMALLINT,
          Types.INTEGER,
          Types.BIGINT,
          Types.REAL,
          Types.FLOAT,
          Types.DOUBLE,
          Types.NUMERIC,
          Types.DECIMAL,
          Types.BOOLEAN,
          Types.BIT,
          Types.DATE,
          Types.TIME,
          Types.TIME_WITH_TIMEZONE,
          Types.TIMESTAMP,
          Types.TIMESTAMP_WITH_TIMEZONE);

  private static void json(ResultSet rs, PrintWriter out) throws Exception {
    ResultSetMetaData md = rs.getMetaData();
    int n = md.getColumnCount();
    try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
      g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
      g.writeStartArray();
      while (rs.next()) {
        g.writeStartObject();
        for (int i = 1; i <= n; i++) {
          g.writeFieldName(md.getColumnLabel(i));
          Object v = rs.getObject(i);
          if (v == null) {
            g.writeNull();
          } else if (v instanceof Number num && !(v instanceof java.math.BigDecimal)) {
            if (v instanceof Double || v instanceof Float) {
              g.writeNumber(num.doubleValue());
            } else {
              g.writeNumber(num.longValue());
            }
          } else if (v instanceof Boolean b) {
            g.writeBoolean(b);
          } else {
            g.writeString(rs.getString(i));
          }
        }
        g.writeEndObject();
      }
      g.writeEndArray();
    }
    out.println();
  }
}
