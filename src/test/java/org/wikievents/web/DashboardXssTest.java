package org.wikievents.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wikievents.store.Alert;

/**
 * Event text is written by anyone. A recording whose every free-text field holds script, HTML,
 * {@code javascript:} URLs or odd Unicode is replayed and shown in a real browser: nothing may run,
 * and the text must appear literally.
 */
class DashboardXssTest {
  static final List<String> PAYLOADS =
      List.of(
          "<script>window.__pwned='script';document.title='pwned'</script>",
          "<img src=x onerror=\"window.__pwned='img';document.title='pwned'\">",
          "javascript:window.__pwned='js-url'",
          "\"><svg onload=\"window.__pwned='svg'\"><a href=\"javascript:window.__pwned=1\">x</a>",
          "\u202Egnp.exe\u200B\u200D\uFEFF 🧨👩‍👩‍👧 {{constructor.constructor('window.__pwned=7')()}}");
  private static final String LONG = "W".repeat(5000);

  @TempDir static Path dir;
  private static Browser browser;
  private static DashboardFixture fixture;

  @BeforeAll
  static void start() throws Exception {
    browser = Browser.startOrSkip();
    ObjectMapper json = new ObjectMapper();
    List<String> sample = DashboardFixture.sampleLines();
    ObjectNode edit = null;
    for (String line : sample) {
      ObjectNode e = (ObjectNode) json.readTree(line);
      if (e.path("type").asText().equals("edit") && e.has("revision")) {
        edit = e;
        break;
      }
    }
    List<String> hostile = new ArrayList<>();
    List<String> texts = new ArrayList<>(PAYLOADS);
    texts.add(LONG);
    for (String text : texts) {
      for (String type : List.of("edit", "new", "log")) {
        ObjectNode e = edit.deepCopy();
        ((ObjectNode) e.get("meta")).put("id", UUID.randomUUID().toString());
        ((ObjectNode) e.get("meta")).put("uri", text);
        e.put("type", type);
        e.put("title", text);
        e.put("title_url", text);
        e.put("comment", text);
        e.put("parsedcomment", text);
        e.put("user", text);
        e.put("notify_url", text);
        e.put("log_type", text);
        e.put("log_action", text);
        e.put("log_action_comment", text);
        hostile.add(e.toString());
      }
    }
    // A host name that is itself a script URL: links must not be built from it.
    ObjectNode badHost = edit.deepCopy();
    ((ObjectNode) badHost.get("meta")).put("id", UUID.randomUUID().toString());
    ((ObjectNode) badHost.get("meta")).put("domain", PAYLOADS.get(2));
    badHost.put("server_name", "javascript:window.__pwned='host'//");
    badHost.put("server_url", "javascript:window.__pwned='host'//");
    badHost.put("title", "host test");
    hostile.add(badHost.toString());
    fixture =
        new DashboardFixture(dir, null)
            .replay(DashboardFixture.write(dir.resolve("hostile.ndjson"), hostile));
    for (String text : PAYLOADS) {
      // An alert's message quotes a page title as it came.
      fixture.record(new Alert(Instant.now(), "page_spike", "enwiki:" + text, true, text));
    }
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

  @Test
  void hostileTextIsShownLiterallyAndNothingRuns() throws Exception {
    browser.driver.get(fixture.url("/"));
    browser.waitUntil(
        "a snapshot was drawn",
        "return document.body.dataset.updates === '1' || "
            + "Number(document.body.dataset.updates || 0) >= 1;");
    // Everything the page loads has loaded or failed: any injected onload or onerror has fired.
    browser.waitUntil(
        "every resource of the page settled",
        "return document.readyState === 'complete'"
            + " && [...document.images].every(i => i.complete)"
            + " && [...document.querySelectorAll('iframe')].every("
            + "f => f.contentDocument === null || f.contentDocument.readyState === 'complete');");
    assertThat(browser.js("return window.__pwned === undefined;")).isEqualTo(true);
    assertThat(browser.driver.getTitle()).isEqualTo("wiki-events · live");
    // The charts draw in SVG of ECharts' own; nothing else may be an SVG, image or frame, and
    // the charts' SVG holds no link, image, foreign object or handler.
    assertThat(
            browser.js(
                "return [...document.querySelectorAll('main img, main svg, main script,"
                    + " main iframe, main object')].filter(e => !(e.tagName === 'svg'"
                    + " && e.closest('.chart'))).length"
                    + " + document.querySelectorAll('.chart svg a, .chart svg image,"
                    + " .chart svg foreignObject, .chart svg [onload], .chart svg [onerror]').length;"))
        .isEqualTo(0L);
    for (String text : PAYLOADS) {
      for (String table : List.of("t-feed", "t-pages", "t-new", "t-editors", "t-alerts")) {
        assertThat(
                browser.js(
                    "return [...document.querySelectorAll('#' + arguments[0] + ' td')]"
                        + ".some(td => td.textContent === arguments[1]);",
                    table,
                    text))
            .as(table + " shows literally: " + text)
            .isEqualTo(true);
      }
    }
    // Stored capped, shown whole as stored, never breaking the layout.
    assertThat(
            browser.js(
                "return [...document.querySelectorAll('#t-feed td')]"
                    + ".some(td => /^W{1000,}$/.test(td.textContent) && td.offsetWidth < 1000);"))
        .isEqualTo(true);
    assertThat(
            browser.js(
                "return [...document.links].every(a => a.protocol === 'https:'"
                    + " || a.href.startsWith(location.origin + '/'));"))
        .isEqualTo(true);
    assertThat(
            browser.js(
                "return [...document.querySelectorAll('#t-feed td')]"
                    + ".filter(td => td.textContent === 'host test')"
                    + ".every(td => td.querySelector('a:not(.drill)') === null);"))
        .isEqualTo(true);
    assertThat(browser.consoleErrors()).isEmpty();
  }

  @Test
  void chartTooltipsEscapeWhatTheyShow() {
    browser.driver.get(fixture.url("/"));
    browser.waitUntil(
        "a snapshot was drawn", "return Number(document.body.dataset.updates || 0) >= 1;");
    String html =
        (String)
            browser.js(
                "return tooltipText([{seriesName: arguments[0], value: 1,"
                    + " axisValueLabel: arguments[1]}]);",
                PAYLOADS.get(1),
                PAYLOADS.get(0));
    assertThat(html).doesNotContain("<img").doesNotContain("<script").contains("&lt;img src=x");
    browser.js(
        "const c = echarts.getInstanceByDom(document.getElementById('c-types'));"
            + "c.dispatchAction({type: 'showTip', seriesIndex: 0, dataIndex: 0});");
    browser.waitUntil(
        "the tooltip is shown",
        "return [...document.querySelectorAll('#c-types div')]"
            + ".some(d => /events|edit|new|log/.test(d.textContent));");
    assertThat(browser.js("return window.__pwned === undefined;")).isEqualTo(true);
    assertThat(browser.consoleErrors()).isEmpty();
  }
}
