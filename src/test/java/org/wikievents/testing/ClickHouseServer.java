package org.wikievents.testing;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.clickhouse.client.api.Client;
import java.util.concurrent.TimeUnit;
import org.wikievents.store.clickhouse.ClickHouseUrl;

/**
 * The ClickHouse server that tests run against: the one named by {@code
 * WIKI_EVENTS_CLICKHOUSE_URL}, else ClickHouse's engine that {@link TestServices} started for the
 * test run (the chdb npm package behind a small HTTP front, see docs/clickhouse.md). Under {@code
 * CI=true} a missing one is a failure.
 */
public final class ClickHouseServer {
  public static final String ENV = "WIKI_EVENTS_CLICKHOUSE_URL";

  private ClickHouseServer() {}

  /** The server's URL; skips the test visibly (fails it in CI) when none is given. */
  public static String url() {
    String url = System.getenv(ENV);
    if (url == null || url.isBlank()) {
      url = TestServices.clickHouseUrl();
    }
    if (url == null || url.isBlank()) {
      String reason =
          ENV
              + " is not set and the test run could not start ClickHouse's engine (see the"
              + " '[test services]' lines at the start of the run: it needs node and npm)";
      if ("true".equals(System.getenv("CI"))) {
        fail(reason + " (CI=true)");
      }
      assumeTrue(false, reason);
    }
    return url;
  }

  /** A client for {@code url}, as a test reads and sets up (uncompressed answers). */
  public static Client client(ClickHouseUrl url) {
    return new Client.Builder()
        .addEndpoint(url.endpoint())
        .setUsername(url.user())
        .setPassword(url.password())
        .setDefaultDatabase(url.database())
        .compressServerResponse(false)
        .build();
  }

  /** Creates a database of its own for one test on the server; closing drops it. */
  public static Database createDatabase(String prefix) throws Exception {
    ClickHouseUrl server = ClickHouseUrl.parse(url(), null);
    String name = prefix + "_" + Long.toHexString(System.nanoTime());
    Client admin = client(server);
    admin.execute("CREATE DATABASE " + name).get(60, TimeUnit.SECONDS).close();
    return new Database(
        new ClickHouseUrl(server.endpoint(), server.user(), server.password(), name), admin);
  }

  /** A test's database: its URL (credentials of the server's) and a client on the server. */
  public record Database(ClickHouseUrl url, Client admin) implements AutoCloseable {
    @Override
    public void close() throws Exception {
      try {
        admin
            .execute("DROP DATABASE IF EXISTS " + url.database())
            .get(60, TimeUnit.SECONDS)
            .close();
      } finally {
        admin.close();
      }
    }
  }
}
