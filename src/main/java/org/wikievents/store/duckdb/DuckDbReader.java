package org.wikievents.store.duckdb;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.duckdb.DuckDBConnection;
import org.wikievents.store.Snapshot;
import org.wikievents.store.StoreException;
import org.wikievents.store.StoreReader;
import org.wikievents.store.Table;

/**
 * Reads a DuckDB store on its own connections: duplicates of the writer's (same database, own
 * transactions) or read-only ones. Each {@link #read} sees one committed state of the store.
 *
 * <p>A read of several queries runs them on two connections at once, so the dashboard's snapshot of
 * every panel uses both cores. DuckDB gives each connection's transaction its own snapshot, so the
 * two transactions are first checked to see the same commits ({@link DuckDbQueries#version}); if a
 * batch committed between their starts, both start again, and after a few such misses the read runs
 * on one connection alone, as a single-query read always does.
 *
 * <p>Reads of at most {@link #QUICK} queries (the live stream's new feed rows, the store's version,
 * {@code /health}) run on a third connection with a lock of their own, so they never wait behind a
 * snapshot of every panel: a live event's row would otherwise wait for thirteen aggregations.
 */
final class DuckDbReader implements StoreReader {
  private static final String ASOF = "asof";
  // A batch commits about once a second and the two transactions start within a millisecond, so
  // a miss is rare and two in a row rarer still.
  private static final int ALIGN_ATTEMPTS = 3;

  /** The most queries a read may have to run on the quick connection. */
  static final int QUICK = 2;

  private final Connection conn;
  private final Connection second;
  private final Connection quick;
  private final Object quickLock = new Object();
  private final ExecutorService helper;
  private final DuckDbQueries queries = new DuckDbQueries();
  private long alignedReads;
  private long misalignments;

  DuckDbReader(Connection conn) throws StoreException {
    this.conn = conn;
    try {
      conn.setAutoCommit(false);
      this.second = conn.unwrap(DuckDBConnection.class).duplicate();
      second.setAutoCommit(false);
      this.quick = conn.unwrap(DuckDBConnection.class).duplicate();
      quick.setAutoCommit(false);
    } catch (SQLException e) {
      throw new StoreException("cannot open a read connection: " + e.getMessage(), e);
    }
    this.helper =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "duckdb-reader");
              t.setDaemon(true);
              return t;
            });
  }

  /** A reader over an existing store file, opened read-only (no writer may hold it). */
  public static DuckDbReader openReadOnly(java.nio.file.Path file) throws StoreException {
    return openReadOnly(file, DuckDb.Limits.DEFAULT);
  }

  /** The same, within DuckDB {@code limits}. */
  public static DuckDbReader openReadOnly(java.nio.file.Path file, DuckDb.Limits limits)
      throws StoreException {
    Connection conn = DuckDbStore.openReadOnly(file, limits);
    try {
      DuckDbLayout.requireCurrent(conn, file);
      return new DuckDbReader(conn);
    } catch (SQLException | StoreException e) {
      try {
        conn.close();
      } catch (SQLException ignored) {
        // Refused already; that is what the caller sees.
      }
      throw e instanceof StoreException se
          ? se
          : new StoreException("cannot read the store " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public Snapshot read(List<String> names, Map<String, Object> params) throws StoreException {
    if (names.size() <= QUICK) {
      synchronized (quickLock) {
        try {
          return readOnOne(quick, names, params);
        } catch (SQLException e) {
          rollbackQuietly(quick);
          throw failed(e);
        } catch (RuntimeException e) {
          rollbackQuietly(quick);
          throw e;
        }
      }
    }
    return readSnapshot(names, params);
  }

  private static StoreException failed(SQLException e) {
    String msg = String.valueOf(e.getMessage());
    return new StoreException(
        "cannot read the store: " + msg.lines().findFirst().orElse(msg).strip(), e);
  }

  private synchronized Snapshot readSnapshot(List<String> names, Map<String, Object> params)
      throws StoreException {
    try {
      if (names.size() > 1) {
        for (int i = 0; i < ALIGN_ATTEMPTS; i++) {
          if (DuckDbQueries.version(conn) == DuckDbQueries.version(second)) {
            alignedReads++;
            return readOnBoth(names, params);
          }
          misalignments++;
          conn.rollback();
          second.rollback();
        }
      }
      return readOnOne(conn, names, params);
    } catch (SQLException e) {
      rollbackQuietly(conn);
      rollbackQuietly(second);
      throw failed(e);
    } catch (RuntimeException e) {
      // A caller's mistake (a missing parameter): the next read must not go on in these
      // transactions, which would show it this read's snapshot.
      rollbackQuietly(conn);
      rollbackQuietly(second);
      throw e;
    }
  }

  private Snapshot readOnOne(Connection c, List<String> names, Map<String, Object> params)
      throws SQLException {
    Map<String, Object> bound = new HashMap<>(params);
    Instant[] asOf = asOf(c, bound);
    Map<String, Table> tables = new LinkedHashMap<>();
    for (String name : names) {
      tables.put(name, queries.run(c, name, bound));
    }
    c.commit();
    return new Snapshot(asOf[0], asOf[1], tables);
  }

  /** Both connections' transactions are open and see the same commits. */
  private Snapshot readOnBoth(List<String> names, Map<String, Object> params) throws SQLException {
    Map<String, Object> bound = new HashMap<>(params);
    Instant[] asOf = asOf(conn, bound);
    // Each connection takes the next query still to run, so a slow one does not hold the other
    // connection idle; each connection is used by one thread only.
    Queue<String> todo = new ConcurrentLinkedQueue<>(queries.slowestFirst(names));
    Map<String, Table> done = new ConcurrentHashMap<>();
    Future<?> other =
        helper.submit(
            () -> {
              try {
                drain(second, todo, bound, done);
              } catch (SQLException | RuntimeException e) {
                todo.clear(); // the caller's connection stops after its current query
                throw e;
              }
              return null;
            });
    try {
      drain(conn, todo, bound, done);
    } catch (SQLException | RuntimeException e) {
      todo.clear();
      join(other); // the second connection must be idle before the caller rolls it back
      throw e;
    }
    rethrow(join(other));
    conn.commit();
    second.commit();
    Map<String, Table> tables = new LinkedHashMap<>();
    for (String name : names) {
      tables.put(name, done.get(name));
    }
    return new Snapshot(asOf[0], asOf[1], tables);
  }

  private void drain(
      Connection c, Queue<String> todo, Map<String, Object> bound, Map<String, Table> done)
      throws SQLException {
    for (String name = todo.poll(); name != null; name = todo.poll()) {
      done.put(name, queries.run(c, name, bound));
    }
  }

  /**
   * Binds {@code :asof} to the newest event time in the open transaction of {@code conn}; returns
   * it with silver's lower bound.
   */
  private Instant[] asOf(Connection c, Map<String, Object> bound) throws SQLException {
    Table t = queries.run(c, ASOF, Map.of());
    List<Object> row = t.rows().isEmpty() ? null : t.rows().get(0);
    Instant asOf = row == null || row.get(0) == null ? null : Instant.parse((String) row.get(0));
    Instant silverFrom =
        row == null || row.get(1) == null ? null : Instant.parse((String) row.get(1));
    bound.put(ASOF, asOf == null ? null : LocalDateTime.ofInstant(asOf, ZoneOffset.UTC));
    return new Instant[] {asOf, silverFrom};
  }

  /** Waits for the helper to let go of its connection, and returns what it failed with. */
  private static Throwable join(Future<?> f) {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          f.get();
          return null;
        } catch (InterruptedException e) {
          interrupted = true;
        } catch (ExecutionException e) {
          return e.getCause();
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static void rethrow(Throwable t) throws SQLException {
    if (t instanceof SQLException s) {
      throw s;
    }
    if (t instanceof RuntimeException r) {
      throw r;
    }
    if (t != null) {
      throw new SQLException(String.valueOf(t), t);
    }
  }

  /** How many reads ran on both connections, and how many times their transactions differed. */
  synchronized long[] alignment() {
    return new long[] {alignedReads, misalignments};
  }

  private static void rollbackQuietly(Connection c) {
    try {
      c.rollback();
    } catch (SQLException ignored) {
      // The original failure is what the caller needs to see.
    }
  }

  @Override
  public synchronized void close() throws StoreException {
    helper.shutdownNow();
    try {
      synchronized (quickLock) {
        quick.close();
      }
      second.close();
      conn.close();
    } catch (SQLException e) {
      throw new StoreException("cannot close the read connection: " + e.getMessage(), e);
    }
  }
}
