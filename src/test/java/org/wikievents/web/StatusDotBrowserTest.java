package org.wikievents.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wikievents.load.IngestState;
import org.wikievents.store.EventStore;
import org.wikievents.store.StoreReader;
import org.wikievents.store.duckdb.DuckDb;

/** The page's status says in words what /health says about the feed, not only by colour. */
class StatusDotBrowserTest {
  @TempDir Path dir;

  @Test
  void theStatusNamesRetryingConnectedAndRefused() throws Exception {
    AtomicReference<IngestState> ingest = new AtomicReference<>(source("retrying", true));
    try (Browser browser = Browser.startOrSkip();
        EventStore store = DuckDb.open(dir.resolve("store.duckdb"));
        StoreReader reader = store.reader();
        DashboardServer server =
            DashboardServer.start(
                reader,
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                new DashboardServer.Settings(
                    "127.0.0.1", 0, null, Duration.ofMillis(300), ingest::get))) {
      browser.driver.get("http://127.0.0.1:" + server.port() + "/");
      awaitStatus(browser, "live · feed retrying since 11:59 UTC", "warn");
      assertThat(browser.js("return document.getElementById('status').title;"))
          .isEqualTo("cannot reach http://127.0.0.1:1/: java.net.ConnectException");

      ingest.set(source("retrying", false));
      awaitStatus(browser, "live · feed retrying since 11:59 UTC", "down");
      ingest.set(source("connected", true));
      awaitStatus(browser, "live · feed connected", "live");
      ingest.set(source("refused", false));
      awaitStatus(browser, "live · feed refused", "down");
      // Chromium logs every 503 of /health as a console error; nothing else may be there.
      assertThat(browser.consoleErrors())
          .allSatisfy(e -> assertThat(e.getMessage()).contains("/health").contains("503"));
    }
  }

  private static void awaitStatus(Browser browser, String text, String cls) {
    browser.waitUntil(
        "status '" + text + "'",
        "const s = document.getElementById('status');"
            + " return s.textContent === arguments[0] && s.classList.contains(arguments[1]);",
        text,
        cls);
  }

  private static IngestState source(String state, boolean healthy) {
    boolean up = state.equals("connected");
    return new IngestState(IngestState.Phase.RUNNING, null, null, null)
        .withFeed(
            new IngestState.Feed(
                state,
                Instant.parse("2026-05-05T12:00:00Z"),
                up ? null : Instant.parse("2026-05-05T11:59:00Z"),
                up ? null : "cannot reach http://127.0.0.1:1/: java.net.ConnectException",
                null,
                healthy));
  }
}
