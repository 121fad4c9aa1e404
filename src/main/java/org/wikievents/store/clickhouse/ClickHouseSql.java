package org.wikievents.store.clickhouse;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.wikievents.store.SqlScript;

/**
 * The ClickHouse SQL of one layout: {@code sql/clickhouse/<name>.sql} with its {@code {{...}}}
 * placeholders rendered, so one text serves the single server and the cluster (the scheme is
 * described at the top of {@code schema.sql}). A statement that renders to nothing (a Distributed
 * table on one server) is left out.
 */
final class ClickHouseSql {
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{(\\w+)(?::(.*?))?}}");
  private static final Pattern ENGINE = Pattern.compile("(\\w+)(?:\\((.*)\\))?");
  private static final String REPLICA =
      "'/clickhouse/tables/{shard}/{database}/{table}', '{replica}'";
  private static final String ON_CLUSTER = " ON CLUSTER '{cluster}'";
  private static final String DEDUPLICATION = "non_replicated_deduplication_window = 1000";

  private ClickHouseSql() {}

  /** The statements of {@code name} for {@code layout}. */
  static List<String> statements(ClickHouseStore.Layout layout, String name) {
    List<String> out = new ArrayList<>();
    for (String sql : SqlScript.statements(ClickHouseStore.DIALECT, name)) {
      String s = render(layout, sql).strip();
      if (!s.isEmpty()) {
        out.add(s);
      }
    }
    return List.copyOf(out);
  }

  /** The one statement of {@code name} for {@code layout}. */
  static String statement(ClickHouseStore.Layout layout, String name) {
    List<String> all = statements(layout, name);
    if (all.size() != 1) {
      throw new IllegalStateException(name + " must hold one statement, holds " + all.size());
    }
    return all.get(0);
  }

  /** {@code sql} with its placeholders replaced for {@code layout}. */
  static String render(ClickHouseStore.Layout layout, String sql) {
    boolean cluster = layout == ClickHouseStore.Layout.CLUSTER;
    Matcher m = PLACEHOLDER.matcher(sql);
    StringBuilder out = new StringBuilder(sql.length() + 64);
    while (m.find()) {
      String arg = m.group(2);
      String value =
          switch (m.group(1)) {
            case "local" -> cluster ? "_local" : "";
            case "on_cluster" -> cluster ? ON_CLUSTER : "";
            case "engine" -> engine(cluster, required(m, arg));
            case "settings" -> settings(cluster, arg);
            case "distributed" -> cluster ? distributed(required(m, arg)) : "";
            default -> throw new IllegalStateException("unknown placeholder " + m.group());
          };
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static String required(Matcher m, String arg) {
    if (arg == null || arg.isBlank()) {
      throw new IllegalStateException(m.group() + " needs an argument");
    }
    return arg.strip();
  }

  /** {@code E(args)}; on a cluster the replicated engine E with the replica path first. */
  private static String engine(boolean cluster, String spec) {
    Matcher e = ENGINE.matcher(spec);
    if (!e.matches()) {
      throw new IllegalStateException("not an engine: " + spec);
    }
    String args = e.group(2);
    if (!cluster) {
      return spec;
    }
    return "Replicated"
        + e.group(1)
        + "("
        + REPLICA
        + (args == null || args.isBlank() ? "" : ", " + args.strip())
        + ")";
  }

  /** A plain table needs the deduplication window to drop a retried insert; a replicated has it. */
  private static String settings(boolean cluster, String extra) {
    boolean none = extra == null || extra.isBlank();
    if (cluster) {
      return none ? "" : "SETTINGS " + extra.strip();
    }
    return "SETTINGS " + DEDUPLICATION + (none ? "" : ", " + extra.strip());
  }

  /** {@code T:KEY}: the Distributed table T over T_local on every shard, sharded by KEY. */
  private static String distributed(String spec) {
    int colon = spec.indexOf(':');
    if (colon <= 0 || colon == spec.length() - 1) {
      throw new IllegalStateException("distributed needs TABLE:KEY, not " + spec);
    }
    String table = spec.substring(0, colon).strip();
    String key = spec.substring(colon + 1).strip();
    return "CREATE TABLE IF NOT EXISTS "
        + table
        + ON_CLUSTER
        + " AS "
        + table
        + "_local\nENGINE = Distributed('{cluster}', currentDatabase(), "
        + table
        + "_local, "
        + key
        + ")";
  }
}
