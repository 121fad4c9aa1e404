package org.wikievents.web;

import java.util.List;
import org.wikievents.store.Table;

/** RFC 4180 CSV of a table. */
final class Csv {
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

  static String field(Object v) {
    if (v == null) {
      return "";
    }
    String s = v.toString();
    if (v instanceof String && !s.isEmpty() && "=+-@\t\r".indexOf(s.charAt(0)) >= 0) {
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
