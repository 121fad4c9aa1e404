package org.wikievents.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The page in real headless Chromium, over a real server and a store filled with the first part of
 * the sample; the last test replays the rest while the page is open.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserTest {
  static final List<String> CHARTS =
      List.of(
          "c-minutely",
          "c-hourly",
          "c-wikis",
          "c-heatmap",
          "c-bots",
          "c-anon",
          "c-bytes",
          "c-types",
          "c-namespaces");
  private static final int FIRST_PART = 1500;

  @TempDir static Path dir;
  private static Browser browser;
  private static DashboardFixture fixture;
  private static Path secondPart;

  @BeforeAll
  static void start() throws Exception {
    browser = Browser.startOrSkip();
    List<String> lines = DashboardFixture.sampleLines();
    Path first = DashboardFixture.write(dir.resolve("first.ndjson"), lines.subList(0, FIRST_PART));
    secondPart =
        DashboardFixture.write(
            dir.resolve("second.ndjson"), lines.subList(FIRST_PART, lines.size()));
    fixture = new DashboardFixture(dir, null).replay(first);
  }

  @AfterAll
  static void stop() throws Exception {
    if (browser != null) {
      browser.close();
    }
    if (fixture != null) {
      fixture.close();
    }
  }

  @AfterEach
  void noConsoleErrors() {
    assertThat(browser.consoleErrors()).isEmpty();
  }

  /** The number of data points of every series of a chart, summed. */
  static long points(Browser b, String chartId) {
    return (Long)
        b.js(
            "const c = echarts.getInstanceByDom(document.getElementById(arguments[0]));"
                + "return c.getOption().series.reduce((n, s) => n + s.data.length, 0);",
            chartId);
  }

  static long minutelySum(Browser b) {
    return (Long)
        b.js(
            "const c = echarts.getInstanceByDom(document.getElementById('c-minutely'));"
                + "return c.getOption().series[0].data.reduce((n, p) => n + p[1], 0);");
  }

  private void openAndWaitForData(String query) {
    browser.driver.get(fixture.url("/" + query));
    browser.waitUntil(
        "a snapshot was drawn", "return Number(document.body.dataset.updates || 0) >= 1;");
  }

  @Test
  void everyChartAndTableFillsFromTheLiveSnapshot() throws Exception {
    openAndWaitForData("");
    for (String id : CHARTS) {
      assertThat(points(browser, id)).as(id).isPositive();
    }
    assertThat(minutelySum(browser)).isEqualTo(FIRST_PART);
    for (String table :
        List.of("t-pages", "t-page-spikes", "t-editors", "t-bots", "t-new", "t-feed")) {
      assertThat(
              (Long)
                  browser.js(
                      "return document.querySelectorAll('#' + arguments[0] + ' tbody td.empty')"
                          + ".length + 0;",
                      table))
          .as(table + " is not empty")
          .isZero();
    }
    assertThat(browser.js("return document.querySelectorAll('#t-feed tbody tr').length;"))
        .isEqualTo(50L);
    assertThat(browser.js("return document.getElementById('asof').textContent;"))
        .asString()
        .startsWith("2026-05-05 11:");
  }

  @Test
  void theWikiSelectorNarrowsTheChartsAndGoesIntoTheUrl() {
    openAndWaitForData("");
    long all = minutelySum(browser);
    browser.js(
        "const w = document.getElementById('wiki'); w.value = 'commonswiki';"
            + "w.dispatchEvent(new Event('change'));");
    browser.waitUntil(
        "the top wikis chart shows only commonswiki",
        "const c = echarts.getInstanceByDom(document.getElementById('c-wikis'));"
            + "const y = c.getOption().yAxis[0].data;"
            + "return y.length === 1 && y[0] === 'commonswiki';");
    assertThat(browser.driver.getCurrentUrl()).endsWith("/?wiki=commonswiki");
    assertThat(minutelySum(browser)).isPositive().isLessThan(all);
    assertThat(browser.js("return document.getElementById('heatmap-scope').textContent;"))
        .asString()
        .startsWith("commonswiki");
    assertThat(points(browser, "c-heatmap")).isPositive();
    assertThat(
            browser.js(
                "return [...document.querySelectorAll('#t-feed tbody tr td:nth-child(2)')]"
                    + ".every(td => td.textContent === 'commonswiki');"))
        .isEqualTo(true);
  }

  @Test
  void aSharedUrlOpensWithItsFilters() {
    openAndWaitForData("?wiki=enwiki&bot=human&type=edit");
    assertThat(browser.js("return document.getElementById('bot').value;")).isEqualTo("human");
    assertThat(
            browser.js(
                "return [...document.querySelectorAll('#t-feed tbody tr td:nth-child(3)')]"
                    + ".every(td => td.textContent === 'edit');"))
        .isEqualTo(true);
  }

  @Test
  void theLightThemeRedrawsEveryChartAndIsRemembered() throws Exception {
    openAndWaitForData("");
    assertThat(browser.js("return document.body.classList.contains('light');")).isEqualTo(false);
    browser.js("document.getElementById('theme').click();");
    assertThat(browser.js("return document.body.classList.contains('light');")).isEqualTo(true);
    for (String id : CHARTS) {
      assertThat(points(browser, id)).as(id).isPositive();
    }
    browser.screenshot(Path.of("target/dashboard-light.png"));
    browser.driver.navigate().refresh();
    browser.waitUntil("reloaded", "return Number(document.body.dataset.updates || 0) >= 1;");
    assertThat(browser.js("return document.body.classList.contains('light');")).isEqualTo(true);
    browser.js("document.getElementById('theme').click();");
    assertThat(browser.js("return localStorage.getItem('theme');")).isEqualTo("dark");
  }

  @Test
  void anEmptyStoreShowsAnEmptyPageWithoutErrors(@TempDir Path empty) throws Exception {
    try (DashboardFixture none = new DashboardFixture(empty, null)) {
      browser.driver.get(none.url("/"));
      browser.waitUntil(
          "a snapshot was drawn", "return Number(document.body.dataset.updates || 0) >= 1;");
      assertThat(browser.js("return document.getElementById('asof').textContent;"))
          .isEqualTo("no events yet");
      assertThat(browser.js("return document.getElementById('kpi-events').textContent;"))
          .isEqualTo("0");
      assertThat(browser.js("return document.querySelectorAll('#t-feed td.empty').length;"))
          .isEqualTo(1L);
    }
  }

  @Test
  void anUnknownWikiInASharedUrlIsSaidAndDropped() {
    openAndWaitForData("?wiki=nosuchwiki");
    assertThat(browser.js("return document.getElementById('filter-error').textContent;"))
        .isEqualTo("unknown wiki: nosuchwiki");
    assertThat(minutelySum(browser)).isEqualTo(FIRST_PART);
  }

  @Test
  void onAPhoneThePanelsStackInOneColumnWithoutSideScrolling() throws Exception {
    browser.driver.manage().window().setSize(new org.openqa.selenium.Dimension(390, 844));
    try {
      openAndWaitForData("");
      assertThat(browser.js("return document.documentElement.scrollWidth <= window.innerWidth;"))
          .isEqualTo(true);
      assertThat(
              browser.js(
                  "const a = document.getElementById('c-minutely').getBoundingClientRect();"
                      + "const b = document.getElementById('c-hourly').getBoundingClientRect();"
                      + "return b.top >= a.bottom && a.width > window.innerWidth * 0.8;"))
          .isEqualTo(true);
      browser.screenshot(Path.of("target/dashboard-phone.png"));
    } finally {
      browser.driver.manage().window().setSize(new org.openqa.selenium.Dimension(1440, 2000));
    }
  }

  @Test
  @Order(Integer.MAX_VALUE)
  void thePageUpdatesInPlaceWhileAReplayRuns() throws Exception {
    openAndWaitForData("");
    browser.js("window.__samePage = true;");
    assertThat(minutelySum(browser)).isEqualTo(FIRST_PART);
    fixture.replay(secondPart);
    browser.waitUntil(
        "the per-minute chart shows the whole sample",
        "const c = echarts.getInstanceByDom(document.getElementById('c-minutely'));"
            + "return c.getOption().series[0].data.reduce((n, p) => n + p[1], 0) === 2476;");
    assertThat(browser.js("return window.__samePage === true;")).isEqualTo(true);
    assertThat(browser.js("return document.getElementById('kpi-events').textContent;"))
        .isEqualTo("2,476");
    // The picture in docs/dashboard.png comes from here.
    browser.screenshot(Path.of("target/dashboard.png"));
  }
}
