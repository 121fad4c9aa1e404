package org.wikievents.web;

import java.util.List;
import org.wikievents.store.Table;

/**
 * RFC 4180 CSV: the one writer of the dashboard's downloads and of {@code sql --format csv}. Text
 * starting like a formula is prefixed with {@code '}, so a spreadsheet shows event text as written.
 */
public final class Csv {
  private Csv() {}

  static String of(Table t) {
    StringBuilder b = new StringBuilder();
    line(b, t.columns());
    for (List<Object> row : t.rows()) {
      line(b, row);
    }
    return b.toString();
  }

  private static void line(StringBuilder b, List<?> cells) {
    for (int i = 0; i < cells.size(); i++) {
      if (i > 0) {
        b.append(',');
      }
      b.append(field(cells.get(i)));
    }
    b.append("\r\n");
  }

  /** One field: empty for null; a {@link String} is text, anything else a value like a number. */
  public static String field(Object v) {
    return v == null ? "" : field(v.toString(), v instanceof String);
  }

  /**
   * One field written as {@code s}; {@code text} says it may have been written by anyone (a number
   * or a time, whose leading {@code -} is no formula, is not).
   */
  public static String field(String s, boolean text) {
    if (text && !s.isEmpty() && "=+-@\t\r".indexOf(s.charAt(0)) >= 0) {
      // Event text is written by anyone: keep spreadsheets from reading it as a formula.
      s = "'" + s;
    }
    if (s.indexOf(',') >= 0
        || s.indexOf('"') >= 0
        || s.indexOf('\n') >= 0
        || s.indexOf('\r') >= 0) {
      return '"' + s.replace("\"", "\"\"") + '"';
    }
    return s;
  }
}
