package org.wikievents.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.wikievents.testing.Samples;

/**
 * Ranges and drill-downs in real headless Chromium over a store holding all three recordings (2018
 * and 2026): the range control, dragging across the timeline, the URL, reload and the back button;
 * clicking a wiki, a page and an editor.
 */
class DashboardRangeBrowserTest {
  private static final String HOUR_2018 = "2018-03-07T16:00:00Z/2018-03-07T17:00:00Z";

  @TempDir static Path dir;
  private static Browser browser;
  private static DashboardFixture fixture;

  @BeforeAll
  static void start() throws Exception {
    browser = Browser.startOrSkip();
    fixture = new DashboardFixture(dir, null);
    fixture.replay(Samples.WIKIDATA_2018).replay(Samples.NEW_ITEMS_2018);
    fixture.replay(Samples.MULTIWIKI_2026);
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

  private Object js(String script, Object... args) {
    return browser.js(script, args);
  }

  private String range() {
    return (String) js("return document.body.dataset.range || '';");
  }

  private void waitForRange(String range) {
    browser.waitUntil(
        "the page shows " + range,
        "return document.body.dataset.range === arguments[0]"
            + " && document.getElementById('status').textContent !== 'loading…';",
        range);
  }

  private long kpiEvents() {
    return Long.parseLong(
        ((String) js("return document.getElementById('kpi-events').textContent;"))
            .replace(",", ""));
  }

  /**
   * Every panel shows the range {@code from/to}: each timeline's points lie inside it, the cards
   * and window labels name it, the tables hold only changes inside it.
   */
  private void assertEveryPanelShows(String range, long events) {
    String[] r = range.split("/");
    long from = Instant.parse(r[0]).toEpochMilli();
    long to = Instant.parse(r[1]).toEpochMilli();
    for (String id : List.of("c-minutely", "c-hourly", "c-bots", "c-anon", "c-bytes")) {
      List<?> bounds =
          (List<?>)
              js(
                  "const c = echarts.getInstanceByDom(document.getElementById(arguments[0]));"
                      + "const o = c.getOption();"
                      + "const t = o.series[0].data.map(p => Date.parse(p[0]));"
                      + "return [Math.min(...t), Math.max(...t), o.xAxis[0].min, o.xAxis[0].max,"
                      + " o.series[0].data.length];",
                  id);
      // the hourly chart's first bar is the whole hour the range starts in
      long start = id.equals("c-hourly") ? from - from % 3_600_000 : from;
      assertThat(((Number) bounds.get(4)).longValue()).as(id + " points").isPositive();
      assertThat(((Number) bounds.get(0)).longValue()).as(id).isGreaterThanOrEqualTo(start);
      assertThat(((Number) bounds.get(1)).longValue()).as(id).isLessThan(to);
      assertThat(((Number) bounds.get(2)).longValue()).as(id + " axis").isEqualTo(start);
      assertThat(((Number) bounds.get(3)).longValue()).as(id + " axis").isEqualTo(to);
    }
    assertThat(kpiEvents()).isEqualTo(events);
    assertThat(
            (Long)
                js(
                    "const c = echarts.getInstanceByDom(document.getElementById('c-minutely'));"
                        + "return c.getOption().series[0].data.reduce((n, p) => n + p[1], 0);"))
        .as("the timeline adds up to the card")
        .isEqualTo(events);
    assertThat(
            (Long)
                js(
                    "const c = echarts.getInstanceByDom(document.getElementById('c-wikis'));"
                        + "return c.getOption().series.reduce((n, s) => n + s.data.reduce((a, b)"
                        + " => a + b, 0), 0);"))
        .as("top wikis")
        .isEqualTo(events);
    for (String id : List.of("c-types", "c-namespaces")) {
      assertThat(
              (Long)
                  js(
                      "const c = echarts.getInstanceByDom(document.getElementById(arguments[0]));"
                          + "return c.getOption().series[0].data.reduce((n, d) => n + d.value, 0);",
                      id))
          .as(id)
          .isEqualTo(events);
    }
    // Feed and new pages show times inside the range (MM-DD HH:MM:SS in a range view).
    @SuppressWarnings("unchecked")
    List<String> times =
        (List<String>)
            js(
                "return [...document.querySelectorAll('#t-feed tbody td.time,"
                    + " #t-new tbody td.time')].map(td => td.textContent);");
    assertThat(times).isNotEmpty();
    for (String t : times) {
      if (t.length() == 14) {
        Instant at = Instant.parse(r[0].substring(0, 5) + t.replace(' ', 'T') + "Z");
        assertThat(at.toEpochMilli()).as("feed time " + t).isBetween(from, to - 1);
      }
    }
    String label = (String) js("return document.getElementById('range-label').textContent;");
    String from16 = r[0].substring(0, 16).replace('T', ' ');
    assertThat(label).contains(from16);
    @SuppressWarnings("unchecked")
    List<String> windows =
        (List<String>) js("return [...document.querySelectorAll('.win')].map(e => e.textContent);");
    assertThat(windows).allSatisfy(w -> assertThat(w).contains(from16));
    for (String table : List.of("t-pages", "t-editors", "t-bots", "t-feed")) {
      assertThat(
              js(
                  "return document.querySelectorAll('#' + arguments[0] + ' td.empty').length;",
                  table))
          .as(table)
          .isEqualTo(0L);
    }
  }

  @Test
  void aRangeFromTheControlThenByDraggingIsInTheUrlSurvivesReloadAndBackWalksBack()
      throws Exception {
    browser.driver.get(fixture.url("/"));
    browser.waitUntil("the live view", "return Number(document.body.dataset.updates || 0) >= 1;");
    assertThat(range()).isEmpty();
    assertThat(kpiEvents()).as("last minute of 2026").isEqualTo(Samples.MULTIWIKI_EVENTS);

    // The control: custom, then from and to typed in.
    browser.driver.findElement(By.cssSelector("#range option[value=custom]")).click();
    WebElement from = browser.driver.findElement(By.id("from"));
    WebElement to = browser.driver.findElement(By.id("to"));
    assertThat(from.isDisplayed()).isTrue();
    from.clear();
    from.sendKeys("2018-03-07T16:00Z");
    to.clear();
    to.sendKeys("2018-03-07T17:00Z");
    browser.driver.findElement(By.id("apply-range")).click();
    waitForRange(HOUR_2018);
    assertEveryPanelShows(HOUR_2018, 3818);
    assertThat(js("return document.getElementById('status').textContent;")).isEqualTo("fixed view");
    assertThat(js("return document.getElementById('range-label').textContent;"))
        .asString()
        .startsWith("Fixed view (no live updates)");
    assertThat(js("return document.getElementById('kpi-usual').textContent;"))
        .asString()
        .endsWith("× usual");
    assertThat(browser.driver.getCurrentUrl())
        .contains("from=2018-03-07T16%3A00Z")
        .contains("to=2018-03-07T17%3A00Z");

    // Dragging across the per-minute timeline, from 16:17 to 16:19:30.
    WebElement chart = browser.driver.findElement(By.id("c-minutely"));
    List<?> px =
        (List<?>)
            js(
                "const c = echarts.getInstanceByDom(document.getElementById('c-minutely'));"
                    + "return [c.convertToPixel({xAxisIndex: 0}, Date.parse(arguments[0])),"
                    + " c.convertToPixel({xAxisIndex: 0}, Date.parse(arguments[1]))];",
                "2018-03-07T16:17:10Z",
                "2018-03-07T16:19:30Z");
    int x0 = (int) Math.round(((Number) px.get(0)).doubleValue());
    int x1 = (int) Math.round(((Number) px.get(1)).doubleValue());
    int w = chart.getSize().getWidth();
    int h = chart.getSize().getHeight();
    new Actions(browser.driver)
        .moveToElement(chart, x0 - w / 2, h / 2 - h / 3)
        .clickAndHold()
        .moveByOffset((x1 - x0) / 2, 0)
        .moveByOffset(x1 - x0 - (x1 - x0) / 2, 0)
        .release()
        .perform();
    String dragged = "2018-03-07T16:17:00Z/2018-03-07T16:20:00Z";
    waitForRange(dragged);
    long draggedEvents = kpiEvents();
    assertThat(draggedEvents).isBetween(1L, 3817L);
    assertEveryPanelShows(dragged, draggedEvents);
    String url = browser.driver.getCurrentUrl();
    assertThat(url).contains("from=2018-03-07T16%3A17Z").contains("to=2018-03-07T16%3A20Z");

    // Reloading the URL shows the same view.
    browser.driver.navigate().refresh();
    waitForRange(dragged);
    assertThat(browser.driver.getCurrentUrl()).isEqualTo(url);
    assertEveryPanelShows(dragged, draggedEvents);
    assertThat(js("return document.getElementById('range').value;")).isEqualTo("custom");

    // Back: the range typed in, then the live view.
    browser.driver.navigate().back();
    waitForRange(HOUR_2018);
    assertEveryPanelShows(HOUR_2018, 3818);
    assertThat(js("return document.getElementById('from').value;")).isEqualTo("2018-03-07T16:00Z");
    browser.driver.navigate().back();
    waitForRange("");
    browser.waitUntil(
        "the live view again",
        "return document.getElementById('kpi-events').textContent === arguments[0];",
        "2,476");
  }

  @Test
  void aPresetIsLiveAndEveryPanelFollowsIt() {
    browser.driver.get(fixture.url("/?range=all"));
    browser.waitUntil("the preset", "return (document.body.dataset.range || '') !== '';");
    assertThat(range()).isEqualTo("2018-03-07T00:00:00Z/2026-05-06T00:00:00Z");
    assertThat(js("return document.getElementById('status').textContent;")).isEqualTo("live");
    assertThat(kpiEvents()).isEqualTo(3818 + 82 + Samples.MULTIWIKI_EVENTS);
    assertThat(js("return document.getElementById('range-label').textContent;"))
        .asString()
        .startsWith("Live · all:");
    // the silver panels read the range's newest day, and the page says so
    assertThat(js("return document.getElementById('note').hidden;")).isEqualTo(false);
    assertThat(js("return document.getElementById('note').textContent;"))
        .asString()
        .startsWith("Single changes are read for at most the newest 24 h of a range: top pages,")
        .endsWith(" cover 2026-05-05T00:00:00Z to 2026-05-06T00:00:00Z.");
  }

  @Test
  void aSharedUrlOfOneHourIn2018ShowsThatHour() {
    browser.driver.get(fixture.url("/?from=2018-03-07T16:00:00Z&to=2018-03-07T17:00:00Z"));
    waitForRange(HOUR_2018);
    assertEveryPanelShows(HOUR_2018, 3818);
    assertThat(js("return document.getElementById('note').hidden;")).isEqualTo(true);
  }

  /**
   * Clicks the element {@code css} finds. A fixed range's tables can be drawn again (same rows, new
   * elements) between the find and the click, so a stale element is found again.
   */
  private void click(String css) {
    for (int attempt = 1; ; attempt++) {
      try {
        browser.driver.findElement(By.cssSelector(css)).click();
        return;
      } catch (StaleElementReferenceException e) {
        if (attempt == 5) {
          throw e;
        }
      }
    }
  }

  @Test
  void clickingAWikiAPageAndAnEditorDrillsDownAndEachIsAUrl() {
    String hour = "2026-05-05T11:00:00Z/2026-05-05T12:00:00Z";
    browser.driver.get(fixture.url("/?from=2026-05-05T11:00:00Z&to=2026-05-05T12:00:00Z"));
    waitForRange(hour);
    long all = kpiEvents();
    assertThat(all).isEqualTo(Samples.MULTIWIKI_EVENTS);

    // A wiki in the feed: that wiki's own view of the same range.
    String wiki =
        (String) js("return document.querySelector('#t-feed tbody a.drill').textContent;");
    click("#t-feed tbody tr:first-child td:nth-child(2) a.drill");
    browser.waitUntil(
        "the wiki's view",
        "return new URLSearchParams(location.search).get('wiki') === arguments[0]"
            + " && document.getElementById('heatmap-scope').textContent.startsWith(arguments[0]);",
        wiki);
    browser.waitUntil(
        "the wiki's numbers",
        "return document.getElementById('kpi-events').textContent !== arguments[0];",
        String.format("%,d", all));
    assertThat(js("return document.getElementById('wiki').value;")).isEqualTo(wiki);
    assertThat(
            js(
                "return echarts.getInstanceByDom(document.getElementById('c-wikis'))"
                    + ".getOption().yAxis[0].data;"))
        .isEqualTo(List.of(wiki));
    assertThat(range()).isEqualTo(hour);

    // A page in top pages: its changes in the range, linking to the wiki.
    String title =
        (String) js("return document.querySelector('#t-pages tbody a.drill').textContent;");
    long changes =
        Long.parseLong(
            (String)
                js(
                    "return document.querySelector('#t-pages tbody tr td:nth-child(3)').textContent;"));
    click("#t-pages tbody tr:first-child td:first-child a.drill");
    browser.waitUntil(
        "the page's changes",
        "return !document.getElementById('drill').hidden"
            + " && document.body.dataset.drill === arguments[0];",
        String.valueOf(changes));
    assertThat(browser.driver.getCurrentUrl()).contains("title=").contains("wiki=" + wiki);
    assertThat(js("return document.getElementById('drill-title').textContent;"))
        .isEqualTo("Changes of " + title);
    assertThat(
            js(
                "return [...document.querySelectorAll('#t-drill tbody td:nth-child(4)')]"
                    + ".every(td => td.textContent === arguments[0]);",
                title))
        .isEqualTo(true);
    assertThat(js("return document.getElementById('drill-wiki').href;"))
        .asString()
        .startsWith("https://")
        .contains("/w/index.php?title=");

    // Reload keeps the drill-down; back leaves it.
    browser.driver.navigate().refresh();
    browser.waitUntil(
        "the page's changes again",
        "return !document.getElementById('drill').hidden && document.body.dataset.drill === arguments[0];",
        String.valueOf(changes));
    browser.driver.navigate().back();
    browser.waitUntil(
        "back at the wiki's view",
        "return document.getElementById('drill').hidden"
            + " && new URLSearchParams(location.search).get('title') === null;");

    // An editor: their changes in the range, across wikis.
    browser.driver.get(fixture.url("/?from=2026-05-05T11:00:00Z&to=2026-05-05T12:00:00Z"));
    waitForRange(hour);
    String user =
        (String) js("return document.querySelector('#t-editors tbody a.drill').textContent;");
    String count =
        (String)
            js("return document.querySelector('#t-editors tbody td:nth-child(2)').textContent;");
    click("#t-editors tbody tr:first-child td:first-child a.drill");
    browser.waitUntil(
        "the editor's changes",
        "return !document.getElementById('drill').hidden"
            + " && document.body.dataset.drill === arguments[0];",
        String.valueOf(Math.min(100, Long.parseLong(count.replace(",", "")))));
    assertThat(browser.driver.getCurrentUrl()).contains("user=");
    assertThat(
            js(
                "return [...document.querySelectorAll('#t-drill tbody td:nth-child(5)')]"
                    + ".every(td => td.textContent === arguments[0]);",
                user))
        .isEqualTo(true);
    assertThat(js("return document.getElementById('drill-title').textContent;"))
        .isEqualTo("Changes by " + user);
  }
}
