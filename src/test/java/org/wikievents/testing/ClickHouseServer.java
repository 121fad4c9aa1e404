package org.wikievents.testing;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The ClickHouse server that tests run against, named by {@code WIKI_EVENTS_CLICKHOUSE_URL}. {@code
 * .ci/run} starts one (ClickHouse's engine from the chdb npm package behind a small HTTP front, see
 * docs/clickhouse.md); under {@code CI=true} a missing one is a failure.
 */
public final class ClickHouseServer {
  public static final String ENV = "WIKI_EVENTS_CLICKHOUSE_URL";

  private ClickHouseServer() {}

  /** The server's URL; skips the test visibly (fails it in CI) when none is given. */
  public static String url() {
    String url = System.getenv(ENV);
    if (url == null || url.isBlank()) {
      String reason =
          ENV
              + " is not set, so there is no ClickHouse server to test against: start one with"
              + " .ci/clickhouse/start.sh (ClickHouse's engine from the chdb npm package) or name"
              + " a real server";
      if ("true".equals(System.getenv("CI"))) {
        fail(reason + " (CI=true: .ci/run should have started it)");
      }
      assumeTrue(false, reason);
    }
    return url;
  }
}
