package org.wikievents.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wikievents.event.EventParser;
import org.wikievents.event.ParseResult;
import org.wikievents.event.RawEvent;
import org.wikievents.event.WikiEvent;
import org.wikievents.store.duckdb.DuckDb;
import org.wikievents.testing.Samples;

/**
 * Every schema that holds the silver table against its one description, {@link Silver}: the same
 * columns in the same order, of the same type family and nullability. DuckDB's is read from real
 * store files (a new one, and one upgraded from layout 1); ClickHouse's are parsed from each {@code
 * sql/clickhouse*} schema, the single-server table {@code wiki} and the cluster's {@code
 * wiki_local} alike.
 */
class SilverSchemaTest {
  private static final Path SQL = Path.of("src", "main", "resources", "sql");

  @TempDir Path dir;

  private static final java.util.function.Function<Silver.Type, String> DUCKDB = Silver.Type::name;

  /**
   * Fails, naming the first column that differs and what each side lacks, unless {@code schema}
   * (lines {@code name Type NULL|NOT NULL}) is the description spelt by {@code typeName}.
   */
  private static void assertSilver(
      String where,
      List<String> schema,
      java.util.function.Function<Silver.Type, String> typeName) {
    List<String> described = described(typeName);
    if (schema.equals(described)) {
      return;
    }
    int i = 0;
    while (i < schema.size() && i < described.size() && schema.get(i).equals(described.get(i))) {
      i++;
    }
    List<String> lacks = new ArrayList<>(described);
    lacks.removeAll(schema);
    List<String> extra = new ArrayList<>(schema);
    extra.removeAll(described);
    throw new AssertionError(
        "silver in "
            + where
            + " differs from org.wikievents.store.Silver at column "
            + (i + 1)
            + ": described "
            + (i < described.size() ? "'" + described.get(i) + "'" : "nothing")
            + ", the schema has "
            + (i < schema.size() ? "'" + schema.get(i) + "'" : "nothing")
            + "; the schema lacks "
            + lacks
            + ", has undescribed "
            + extra);
  }

  /** The description as lines {@code name TYPE NULL|NOT NULL}, spelt by {@code typeName}. */
  private static List<String> described(java.util.function.Function<Silver.Type, String> name) {
    return Silver.COLUMNS.stream()
        .map(c -> line(c.column(), name.apply(c.type()), c.nullable()))
        .toList();
  }

  private static String line(String column, String type, boolean nullable) {
    return column + " " + type + (nullable ? " NULL" : " NOT NULL");
  }

  @Test
  void aNewDuckDbStoreHoldsTheDescribedColumns() throws Exception {
    Path db = dir.resolve("new.duckdb");
    DuckDb.open(db).close();

    assertSilver("a new DuckDB store (sql/duckdb/schema.sql)", duckDbColumns(db), DUCKDB);
  }

  @Test
  void aDuckDbStoreUpgradedFromLayoutOneHoldsTheDescribedColumns() throws Exception {
    // A store of the first layout; opening it for writing runs every upgrade.
    Path db = dir.resolve("layout1.duckdb");
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + db);
        Statement st = c.createStatement()) {
      for (String sql : SqlScript.statements("duckdb", "layout1/schema")) {
        st.execute(sql);
      }
    }
    DuckDb.open(db).close();

    assertSilver(
        "a DuckDB store upgraded from layout 1 (sql/duckdb/upgrade/)", duckDbColumns(db), DUCKDB);
  }

  @Test
  void everyClickHouseSchemaHoldsTheDescribedColumns() throws IOException {
    List<Path> schemas = clickHouseSchemas();
    assertThat(schemas).as("ClickHouse schemas under " + SQL).isNotEmpty();
    List<String> failures = new ArrayList<>();
    for (Path schema : schemas) {
      List<List<String>> silver = clickHouseSilver(Files.readString(schema));
      assertThat(silver).as("CREATE TABLE of silver in %s", schema).hasSize(1);
      try {
        assertSilver(schema.toString(), silver.get(0), SilverSchemaTest::clickHouseType);
      } catch (AssertionError e) {
        failures.add(e.getMessage());
      }
    }
    assertThat(failures).as("schemas that differ from Silver").isEmpty();
  }

  @Test
  void aStoredEventReadsBackAsTheDescriptionReadsIt() throws Exception {
    Path db = dir.resolve("values.duckdb");
    EventParser parser = new EventParser();
    List<RawEvent> raws = new ArrayList<>();
    for (String line : Samples.lines(Samples.MULTIWIKI_2026).subList(0, 50)) {
      raws.add(RawEvent.of("replay", null, line, 1_777_975_200_123L + raws.size()));
    }
    Map<java.util.UUID, List<Object>> expected = new LinkedHashMap<>();
    try (EventStore store = DuckDb.open(db);
        BatchWriter batch = store.begin()) {
      for (RawEvent raw : raws) {
        ParseResult r = parser.parse(raw);
        batch.add(r);
        WikiEvent e = ((ParseResult.Accepted) r).event();
        List<Object> row = new ArrayList<>();
        for (Silver c : Silver.COLUMNS) {
          row.add(c == Silver.BATCH_ID ? null : c.of(e, raw.receivedAtMillis(), 0));
        }
        expected.put(e.eventId(), row);
      }
      batch.commit();
    }

    Map<java.util.UUID, List<Object>> stored = new LinkedHashMap<>();
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + db);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT * FROM " + Silver.TABLE)) {
      while (rs.next()) {
        List<Object> row = new ArrayList<>();
        for (Silver col : Silver.COLUMNS) {
          Object v = rs.getObject(col.ordinal() + 1);
          if (col == Silver.BATCH_ID) {
            assertThat(v).isNotNull();
            v = null;
          } else if (col.type() == Silver.Type.TIMESTAMP && v != null) {
            v =
                rs.getObject(col.ordinal() + 1, LocalDateTime.class)
                    .toInstant(ZoneOffset.UTC)
                    .toEpochMilli();
          }
          row.add(v);
        }
        stored.put((java.util.UUID) row.get(0), row);
      }
    }
    assertThat(stored).isEqualTo(expected);
  }

  private static List<String> duckDbColumns(Path db) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + db);
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT column_name, data_type, is_nullable FROM information_schema.columns"
                    + " WHERE table_name = '"
                    + Silver.TABLE
                    + "' ORDER BY ordinal_position")) {
      while (rs.next()) {
        out.add(line(rs.getString(1), rs.getString(2), "YES".equals(rs.getString(3))));
      }
    }
    return out;
  }

  /** ClickHouse's spelling of each type family, as the schemas write it. */
  private static String clickHouseType(Silver.Type type) {
    return switch (type) {
      case UUID -> "UUID";
      case TIMESTAMP -> "DateTime64(3, 'UTC')";
      case VARCHAR -> "String";
      case INTEGER -> "Int32";
      case BIGINT -> "Int64";
      case BOOLEAN -> "Bool";
    };
  }

  /** Each {@code sql/clickhouse*} folder's schema files (one template, or one per layout). */
  private static List<Path> clickHouseSchemas() throws IOException {
    try (Stream<Path> all = Files.walk(SQL, 2)) {
      return all.filter(p -> p.getParent().getFileName().toString().startsWith("clickhouse"))
          .filter(p -> p.getFileName().toString().matches("schema.*\\.sql"))
          .sorted()
          .toList();
    }
  }

  /**
   * Every {@code CREATE TABLE} of silver with a column list in {@code sql} (the single server's
   * {@code wiki}, the cluster's {@code wiki_local}; a {@code {placeholder}} in the name counts as
   * neither), each as lines {@code name Type NULL|NOT NULL}.
   */
  static List<List<String>> clickHouseSilver(String sql) {
    String text =
        sql.lines().filter(l -> !l.strip().startsWith("--")).reduce("", (a, b) -> a + b + "\n");
    Matcher m =
        Pattern.compile(
                "CREATE TABLE (?:IF NOT EXISTS )?([\\w{}]+)"
                    + "(?:\\s+(?:ON CLUSTER\\s+\\S+|\\{\\w+\\}))*\\s*\\(")
            .matcher(text);
    List<List<String>> out = new ArrayList<>();
    while (m.find()) {
      String name =
          m.group(1).replaceAll("\\{\\{[^}]*}}|\\{[^}]*}", "").replaceFirst("_local$", "");
      if (!name.equals(Silver.TABLE)) {
        continue;
      }
      List<String> columns = new ArrayList<>();
      for (String def : topLevel(text, m.end())) {
        columns.add(clickHouseColumn(def.strip()));
      }
      out.add(columns);
    }
    return out;
  }

  /** The comma-separated parts of the parenthesis that opens just before {@code from}. */
  private static List<String> topLevel(String text, int from) {
    List<String> parts = new ArrayList<>();
    int depth = 0;
    boolean quoted = false;
    StringBuilder part = new StringBuilder();
    for (int i = from; i < text.length(); i++) {
      char ch = text.charAt(i);
      if (ch == '\'') {
        quoted = !quoted;
      } else if (!quoted && ch == '(') {
        depth++;
      } else if (!quoted && ch == ')') {
        if (depth == 0) {
          parts.add(part.toString());
          return parts;
        }
        depth--;
      } else if (!quoted && depth == 0 && ch == ',') {
        parts.add(part.toString());
        part.setLength(0);
        continue;
      }
      part.append(ch);
    }
    throw new AssertionError("unclosed column list");
  }

  /** {@code "user" Nullable(String) CODEC(...)} as {@code user String NULL}. */
  private static String clickHouseColumn(String def) {
    String[] nameAndRest = def.split("\\s+", 2);
    String name = nameAndRest[0].replaceAll("[\"`]", "");
    String type =
        nameAndRest[1]
            .replaceAll("(?s)\\s+(CODEC|DEFAULT|MATERIALIZED|ALIAS|EPHEMERAL|COMMENT|TTL)\\b.*", "")
            .replaceAll("\\s+", " ")
            .strip();
    boolean nullable = false;
    Matcher low = Pattern.compile("LowCardinality\\((.*)\\)").matcher(type);
    if (low.matches()) {
      type = low.group(1);
    }
    Matcher n = Pattern.compile("Nullable\\((.*)\\)").matcher(type);
    if (n.matches()) {
      type = n.group(1);
      nullable = true;
    } else if (type.endsWith(" NOT NULL")) {
      type = type.substring(0, type.length() - " NOT NULL".length());
    } else if (type.endsWith(" NULL")) {
      type = type.substring(0, type.length() - " NULL".length());
      nullable = true;
    }
    return line(name, type, nullable);
  }
}
