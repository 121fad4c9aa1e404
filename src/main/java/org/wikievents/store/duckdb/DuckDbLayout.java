package org.wikievents.store.duckdb;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.IntFunction;
import org.wikievents.store.NewerStoreException;
import org.wikievents.store.SqlScript;
import org.wikievents.store.StoreException;

/**
 * The layout of a DuckDB store: which tables and columns it has, numbered. Layout 1 is every store
 * made before stores recorded theirs; from 2 on, {@code wiki_layout} records it. Opening a store
 * for writing brings it to {@link #CURRENT} in one transaction: the upgrades {@code
 * upgrade/<n>.sql} from its version on, then {@code schema.sql}, then the record. A failure rolls
 * all of it back, so the store stays as it was.
 */
final class DuckDbLayout {
  /**
   * The layout this program writes: that of its newest upgrade ({@code upgrade/<n>.sql}, numbered
   * from 2 without gaps), so a new layout is one new file.
   */
  static final int CURRENT = newestUpgrade();

  private static final String DIALECT = DuckDbStore.DIALECT;
  private static final String PROGRAM =
      "wiki-events "
          + Objects.requireNonNullElse(
              DuckDbLayout.class.getPackage().getImplementationVersion(), "dev");

  /** The upgrades of this program: the statements that take a store from n - 1 to n. */
  static final IntFunction<List<String>> UPGRADES =
      n -> SqlScript.statements(DIALECT, "upgrade/" + n);

  private DuckDbLayout() {}

  private static int newestUpgrade() {
    int n = 1;
    while (DuckDbLayout.class.getResource("/sql/" + DIALECT + "/upgrade/" + (n + 1) + ".sql")
        != null) {
      n++;
    }
    return n;
  }

  /** The store's layout version: 0 for a new (empty) file. */
  static int version(Connection conn) throws SQLException {
    Set<String> tables = new HashSet<>();
    try (Statement st = conn.createStatement();
        ResultSet rs = st.executeQuery(SqlScript.statement(DIALECT, "layout_tables"))) {
      while (rs.next()) {
        tables.add(rs.getString(1));
      }
    }
    if (!tables.contains("wiki_layout")) {
      return tables.contains("wiki") ? 1 : 0;
    }
    try (Statement st = conn.createStatement();
        ResultSet rs = st.executeQuery(SqlScript.statement(DIALECT, "layout_version"))) {
      rs.next();
      return rs.getInt(1);
    }
  }

  /**
   * Brings a store opened for writing to {@link #CURRENT}, or refuses a newer one. Leaves the
   * connection in auto-commit, as it found it.
   *
   * @return the version the store had
   */
  static int prepare(Connection conn, Path file, IntFunction<List<String>> upgrades)
      throws SQLException, StoreException {
    int found = version(conn);
    refuseNewer(file, found);
    conn.setAutoCommit(false);
    try (Statement st = conn.createStatement()) {
      for (int n = Math.max(found, 1) + 1; found > 0 && n <= CURRENT; n++) {
        for (String sql : upgrades.apply(n)) {
          st.execute(sql);
        }
      }
      for (String sql : SqlScript.statements(DIALECT, "schema")) {
        st.execute(sql);
      }
      if (found < CURRENT) {
        try (PreparedStatement ps =
            conn.prepareStatement(SqlScript.statement(DIALECT, "record_layout"))) {
          ps.setInt(1, CURRENT);
          ps.setString(2, PROGRAM);
          ps.execute();
        }
      }
      conn.commit();
    } catch (SQLException | RuntimeException e) {
      try {
        conn.rollback();
      } catch (SQLException ignored) {
        // The failure of the upgrade is what the caller needs to see.
      }
      if (found > 0 && found < CURRENT) {
        throw new StoreException(
            "cannot upgrade the store "
                + file
                + " from layout "
                + found
                + " to "
                + CURRENT
                + " (it is unchanged): "
                + firstLine(e),
            e);
      }
      throw e;
    } finally {
      conn.setAutoCommit(true);
    }
    return found;
  }

  /** For readers, which never upgrade: a store must have this program's layout. */
  static void requireCurrent(Connection conn, Path file) throws SQLException, StoreException {
    int found = version(conn);
    refuseNewer(file, found);
    if (found < CURRENT) {
      throw new StoreException(
          "the store "
              + file
              + " has layout "
              + found
              + ", older than this program's ("
              + CURRENT
              + "): open it once with run, replay or loader to upgrade it in place",
          null);
    }
  }

  /** For any reader: a store of a newer layout may mean anything. */
  static void refuseNewer(Connection conn, Path file) throws SQLException, StoreException {
    refuseNewer(file, version(conn));
  }

  private static void refuseNewer(Path file, int found) throws NewerStoreException {
    if (found > CURRENT) {
      throw new NewerStoreException(
          "the store "
              + file
              + " has layout "
              + found
              + ", newer than this program's ("
              + CURRENT
              + "): use the release of wiki-events that wrote it, or a later one");
    }
  }

  private static String firstLine(Exception e) {
    String msg = String.valueOf(e.getMessage());
    return msg.lines().findFirst().orElse(msg).strip();
  }
}
