package org.wikievents.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The page's feed in real headless Chromium while a burst is committed in small batches: every
 * change of the burst is drawn as a row or counted in the "came too fast" note the page shows, and
 * the feed ends with the newest rows.
 */
class LiveFeedBrowserTest {
  @TempDir Path dir;
  private Browser browser;
  private DashboardFixture fixture;

  @BeforeEach
  void start() throws Exception {
    browser = Browser.startOrSkip();
    fixture = new DashboardFixture(dir, null);
  }

  @AfterEach
  void stop() throws Exception {
    try {
      assertThat(browser.consoleErrors()).isEmpty();
    } finally {
      browser.close();
      fixture.close();
    }
  }

  @Test
  void everyRowOfABurstIsDrawnOrCountedAsSkipped() throws Exception {
    List<String> lines = DashboardFixture.sampleLines();
    fixture.replay(DashboardFixture.write(dir.resolve("first.ndjson"), lines.subList(0, 100)));
    browser.driver.get(fixture.url("/"));
    browser.waitUntil(
        "the first snapshot", "return Number(document.body.dataset.updates || 0) >= 1;");
    browser.js(BrowserLatency.OBSERVER);
    List<String> burst = lines.subList(100, 2100);

    fixture.replay(DashboardFixture.write(dir.resolve("burst.ndjson"), burst), 40);

    browser.waitUntil(
        "every change of the burst drawn or counted",
        "return window.__rows + feedSkipped >= arguments[0];",
        burst.size());
    long rows = (Long) browser.js("return window.__rows;");
    long skipped = ((Number) browser.js("return feedSkipped;")).longValue();
    assertThat(rows + skipped).as("drawn + skipped").isEqualTo(burst.size());
    assertThat(rows).as("rows drawn").isGreaterThanOrEqualTo(50);
    String note =
        (String) browser.js("return document.getElementById('feed-skipped').textContent;");
    if (skipped > 0) {
      assertThat(note).startsWith(String.format(java.util.Locale.US, "%,d", skipped));
    } else {
      assertThat(note).isEmpty();
    }
    assertThat((Long) browser.js("return document.querySelectorAll('#t-feed tbody tr').length;"))
        .isEqualTo(50);
    // The last change committed is among the rows shown (the feed keeps the newest).
    String lastTitle =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .readTree(burst.get(burst.size() - 1))
            .path("title")
            .asText();
    browser.waitUntil(
        "the last change shown",
        "return [...document.querySelectorAll('#t-feed tbody tr')]"
            + ".some((r) => r.cells[3].textContent === arguments[0]);",
        lastTitle);
  }
}
