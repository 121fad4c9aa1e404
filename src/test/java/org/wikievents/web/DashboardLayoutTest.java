package org.wikievents.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openqa.selenium.Dimension;

/**
 * The page on real screen widths, measured in real Chromium: no feed column narrower than its
 * content needs, no chart label drawn over another.
 */
class DashboardLayoutTest {
  /** Feed columns whose text must show whole: time, wiki, type, bytes (1-based). */
  private static final List<Integer> WHOLE = List.of(1, 2, 3, 6);

  /** Free text (page, editor) may end in an ellipsis, but gets at least this many CSS pixels. */
  private static final int MIN_TEXT_WIDTH = 120;

  @TempDir static Path dir;
  private static Browser browser;
  private static DashboardFixture fixture;

  @BeforeAll
  static void start() throws Exception {
    browser = Browser.startOrSkip();
    fixture = new DashboardFixture(dir, null).replay(DashboardFixture.SAMPLE.toAbsolutePath());
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

  private void openAt(int width) {
    browser.driver.manage().window().setSize(new Dimension(width, 1200));
    browser.driver.get(fixture.url("/"));
    browser.waitUntil(
        "a snapshot was drawn", "return Number(document.body.dataset.updates || 0) >= 1;");
    assertThat(browser.js("return window.innerWidth;")).isEqualTo((long) width);
  }

  @ParameterizedTest(name = "{0} px")
  @ValueSource(ints = {390, 768, 1440})
  void everyFeedColumnIsWideEnoughForWhatItShows(int width) throws Exception {
    openAt(width);
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> cells =
        (List<Map<String, Object>>)
            browser.js(
                "return [...document.querySelectorAll('#t-feed tbody tr')].flatMap((tr, row) =>"
                    + " [...tr.cells].map((td, i) => ({row, col: i + 1,"
                    + " shown: getComputedStyle(td).display !== 'none',"
                    + " text: td.textContent, need: td.scrollWidth, width: td.clientWidth})));");
    assertThat(cells).hasSizeGreaterThan(7 * 40);
    for (Map<String, Object> c : cells) {
      int col = ((Long) c.get("col")).intValue();
      long need = (Long) c.get("need");
      long have = (Long) c.get("width");
      boolean shown = (Boolean) c.get("shown");
      if (WHOLE.contains(col)) {
        assertThat(shown).as("feed column %d at %d px is shown", col, width).isTrue();
        assertThat(have)
            .as("feed column %d at %d px is wide enough for '%s'", col, width, c.get("text"))
            .isGreaterThanOrEqualTo(need);
      } else if (col == 4 || col == 5) {
        assertThat(shown).as("feed column %d at %d px is shown", col, width).isTrue();
        assertThat(have)
            .as("feed column %d (page, editor) at %d px is usable", col, width)
            .isGreaterThanOrEqualTo(Math.min(need, MIN_TEXT_WIDTH));
      } else if (shown) {
        assertThat(have)
            .as("feed column %d (comment) at %d px is usable when shown", col, width)
            .isGreaterThanOrEqualTo(Math.min(need, MIN_TEXT_WIDTH));
      }
    }
    assertThat(browser.js("return document.documentElement.scrollWidth <= window.innerWidth;"))
        .as("no side scrolling at %d px", width)
        .isEqualTo(true);
    assertThat(browser.consoleErrors()).isEmpty();
    // For a person to look at: the feed at this width.
    browser.js("document.getElementById('t-feed').scrollIntoView();");
    browser.screenshot(Path.of("target/feed-" + width + ".png"));
  }

  @ParameterizedTest(name = "{0} px")
  @ValueSource(ints = {390, 768, 1440})
  void noChartDrawsALabelOverAnother(int width) {
    openAt(width);
    List<String> all = new ArrayList<>();
    for (String chart : DashboardBrowserTest.CHARTS) {
      @SuppressWarnings("unchecked")
      List<String> overlaps =
          (List<String>)
              browser.js(
                  // A label inside a clip path (a scrolling legend) shows only inside its clip.
                  "function clip(e, r) {"
                      + "  for (let n = e; n && n.tagName !== 'svg'; n = n.parentNode) {"
                      + "    const ref = n.getAttribute && n.getAttribute('clip-path');"
                      + "    const id = ref && ref.replace(/^url\\([\"']?#/, '').replace(/[\"']?\\)$/, '');"
                      + "    const shape = id && document.getElementById(id)"
                      + "      && document.getElementById(id).firstElementChild;"
                      + "    if (!shape) continue;"
                      + "    const b = shape.getBBox(), m = n.getScreenCTM();"
                      + "    const p = new DOMPoint(b.x, b.y).matrixTransform(m);"
                      + "    const q = new DOMPoint(b.x + b.width, b.y + b.height).matrixTransform(m);"
                      + "    r = {left: Math.max(r.left, Math.min(p.x, q.x)),"
                      + "      right: Math.min(r.right, Math.max(p.x, q.x)),"
                      + "      top: Math.max(r.top, Math.min(p.y, q.y)),"
                      + "      bottom: Math.min(r.bottom, Math.max(p.y, q.y))}; }"
                      + "  return r; }"
                      + "const texts = [...document.querySelectorAll('#' + arguments[0] + ' svg text')]"
                      + "  .filter(e => e.textContent.trim() !== '' && e.getAttribute('opacity') !== '0')"
                      + "  .map(e => ({t: e.textContent, r: clip(e, e.getBoundingClientRect())}))"
                      + "  .filter(x => x.r.right - x.r.left > 0 && x.r.bottom - x.r.top > 0);"
                      + "const out = [];"
                      + "for (let i = 0; i < texts.length; i++) for (let j = i + 1; j < texts.length; j++) {"
                      + "  const a = texts[i].r, b = texts[j].r;"
                      + "  const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);"
                      + "  const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);"
                      + "  if (w > 0.5 && h > 0.5) out.push(texts[i].t + ' / ' + texts[j].t); }"
                      + "return out;",
                  chart);
      overlaps.forEach(o -> all.add(chart + ": " + o));
    }
    assertThat(all).as("chart labels drawn over each other at %d px", width).isEmpty();
  }
}
