package org.wikievents.store.clickhouse;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.data_formats.ClickHouseBinaryFormatReader;
import com.clickhouse.client.api.query.QueryResponse;
import com.clickhouse.data.ClickHouseColumn;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.wikievents.store.ReadValues;
import org.wikievents.store.Snapshot;
import org.wikievents.store.SqlScript;
import org.wikievents.store.StoreException;
import org.wikievents.store.StoreReader;
import org.wikievents.store.Table;

/**
 * Reads a ClickHouse store for the dashboard, on a client of its own that only runs SELECTs, so it
 * works with a read-only user (docs/clickhouse.md). The queries are {@code
 * sql/clickhouse/api/<name>.sql}, for both layouts: Distributed tables keep the logical names.
 *
 * <p>ClickHouse has no snapshot across statements. A {@link #read} reads the as-of time first and
 * bounds every window by it, so its queries agree on the time; a batch committed meanwhile may
 * still add events at or before that time to the queries that run after it.
 *
 * <p>The client cannot bind NULL (it sends the text {@code null}), so every value travels as text
 * and a null as the empty string; each query declares a parameter that may be null as {@code
 * {name:String}} and turns it back with {@code nullIf} and a cast.
 */
final class ClickHouseReader implements StoreReader {
  private static final String ASOF = "asof";
  private static final Pattern PARAM = Pattern.compile("\\{([a-z_][a-z0-9_]*):");
  private static final long TIMEOUT_SECONDS = 60;

  private final Client client;
  private final ClickHouseUrl url;
  private final Map<String, Query> queries = new ConcurrentHashMap<>();

  private ClickHouseReader(Client client, ClickHouseUrl url) {
    this.client = client;
    this.url = url;
  }

  /** A statement and the parameter names it declares. */
  private record Query(String sql, Set<String> names) {
    static Query load(String name) {
      String sql = SqlScript.statement(ClickHouseStore.DIALECT, "api/" + name);
      Set<String> names = new LinkedHashSet<>();
      Matcher m = PARAM.matcher(sql);
      while (m.find()) {
        names.add(m.group(1));
      }
      return new Query(sql, names);
    }
  }

  /**
   * Connects and reads the as-of time once, so a wrong URL, user or database, or a store whose
   * tables were never created, is reported here rather than on the first page view.
   */
  public static ClickHouseReader open(ClickHouseUrl url) throws StoreException {
    // No server settings: a user with readonly = 1 may not change any (docs/clickhouse.md).
    Client client = ClickHouseStore.clientBuilder(url, "wiki-events-dashboard").build();
    ClickHouseReader reader = new ClickHouseReader(client, url);
    try {
      reader.asOf();
    } catch (StoreException e) {
      client.close();
      String why = e.getMessage().replaceFirst("^cannot read the store: ", "");
      throw new StoreException(
          "cannot read the ClickHouse store " + url + ": " + why, e.getCause());
    }
    return reader;
  }

  @Override
  public Snapshot read(List<String> names, Map<String, Object> params) throws StoreException {
    Instant[] asOf = asOf();
    Map<String, Object> bound = new HashMap<>(params);
    bound.put(ASOF, asOf[0]);
    Map<String, Table> tables = new LinkedHashMap<>();
    for (String name : names) {
      tables.put(name, run(name, bound));
    }
    return new Snapshot(asOf[0], asOf[1], tables);
  }

  /** The newest event time, and the oldest silver holds since retention (null: it holds all). */
  private Instant[] asOf() throws StoreException {
    Table t = run(ASOF, Map.of());
    List<Object> row = t.rows().isEmpty() ? null : t.rows().get(0);
    return new Instant[] {instant(row, 0), instant(row, 1)};
  }

  private static Instant instant(List<Object> row, int i) {
    return row == null || row.get(i) == null ? null : Instant.parse((String) row.get(i));
  }

  private Table run(String name, Map<String, Object> params) throws StoreException {
    Query q = queries.computeIfAbsent(name, Query::load);
    Map<String, Object> bound = new HashMap<>();
    for (String p : q.names()) {
      if (!params.containsKey(p)) {
        throw new IllegalArgumentException("query " + name + " needs parameter :" + p);
      }
      bound.put(p, text(params.get(p)));
    }
    try (QueryResponse response =
            client.query(q.sql(), bound).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        ClickHouseBinaryFormatReader rows = client.newBinaryFormatReader(response)) {
      List<String> columns = new ArrayList<>();
      for (ClickHouseColumn c : rows.getSchema().getColumns()) {
        columns.add(c.getColumnName());
      }
      List<List<Object>> out = new ArrayList<>();
      while (rows.hasNext()) {
        rows.next();
        List<Object> row = new ArrayList<>(columns.size());
        for (int i = 1; i <= columns.size(); i++) {
          row.add(ReadValues.plain(rows.readValue(i)));
        }
        out.add(row);
      }
      return new Table(columns, out);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException("interrupted while reading the store", e);
    } catch (ExecutionException e) {
      throw new StoreException(
          "cannot read the store: " + ClickHouseStore.oneLine(e.getCause()), e.getCause());
    } catch (Exception e) {
      throw new StoreException("cannot read the store: " + ClickHouseStore.oneLine(e), e);
    }
  }

  /** A parameter as the text the query casts back; null as the empty string ("no filter"). */
  static String text(Object v) {
    if (v == null) {
      return "";
    }
    if (v instanceof Instant t) {
      return t.toString();
    }
    if (v instanceof java.time.LocalDateTime t) {
      return t.toInstant(java.time.ZoneOffset.UTC).toString();
    }
    return v.toString();
  }

  @Override
  public void close() {
    client.close();
  }

  @Override
  public String toString() {
    return url.toString();
  }
}
