package org.wikievents.store;

import java.util.List;

/** A query result: column names and rows of JSON-friendly values (text, numbers, booleans). */
public record Table(List<String> columns, List<List<Object>> rows) {
  public Table {
    columns = List.copyOf(columns);
    rows = List.copyOf(rows);
  }
}
