package org.wikievents.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.wikievents.store.Table;

/**
 * What one live client was sent, and what to send it next: the first message is every panel (a
 * {@code snapshot}), each later one (an {@code update}) only the panels whose rows changed and the
 * feed rows committed after the last batch it saw, newest first. The feed's cursor is a batch id,
 * so every change that matches the filter reaches the client once, in commit order; when more came
 * than one message carries, {@code skipped} says how many were left out.
 */
final class LiveView {
  static final String FEED = "feed";
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * One read of the store for a filter, in one snapshot.
   *
   * @param panels each panel's {@code {"columns","rows"}} as JSON, by key, or null when they were
   *     not read this time
   * @param cursor the newest batch in silver's last hour
   * @param since the feed rows committed after the batch asked for (with {@code batch} and {@code
   *     total} columns), or null for a first read
   * @param range with a range, the snapshot's {@code range} and {@code silver} fields; else null
   */
  record Read(
      String asOf,
      Map<String, Object> filter,
      Map<String, String> panels,
      long cursor,
      Table since,
      Map<String, Object> range) {}

  private final ApiQuery query;
  // The cursor moves on the feed thread, the panels on the panel thread (see LiveUpdates).
  private volatile long cursor;
  private volatile Map<String, String> sentPanels = Map.of();

  LiveView(ApiQuery query) {
    this.query = query;
  }

  ApiQuery query() {
    return query;
  }

  /** The last batch whose feed rows were sent. */
  long cursor() {
    return cursor;
  }

  /** The panels as last sent (the same object for clients sent the same read). */
  Map<String, String> sentPanels() {
    return sentPanels;
  }

  /** The first message: every panel. */
  String snapshot(Read r) {
    sent(r);
    StringBuilder b = new StringBuilder("{");
    b.append("\"asOf\":").append(text(r.asOf()));
    b.append(",\"filter\":").append(text(r.filter()));
    b.append(",\"cursor\":").append(r.cursor());
    appendRange(b, r);
    b.append(",\"panels\":{");
    appendPanels(b, r.panels(), null, false);
    return b.append("}}").toString();
  }

  /**
   * The message that brings this client from what it was sent to {@code r}, or "" when nothing
   * changed. Does not change what this view remembers (see {@link #sent}).
   */
  String update(Read r) {
    StringBuilder panels = new StringBuilder();
    if (r.panels() != null) {
      // A range's feed is a panel like the others; without one, new rows come in "feed".
      appendPanels(panels, r.panels(), sentPanels, r.range() == null);
    }
    Table since = r.since();
    boolean newRows = since != null && !since.rows().isEmpty();
    if (panels.isEmpty() && !newRows) {
      return "";
    }
    StringBuilder b = new StringBuilder("{");
    b.append("\"asOf\":").append(text(r.asOf()));
    if (newRows) {
      b.append(",\"cursor\":").append(r.cursor());
    }
    if (!panels.isEmpty()) {
      appendRange(b, r);
    }
    b.append(",\"panels\":{").append(panels).append('}');
    if (newRows) {
      b.append(",\"feed\":").append(feed(since));
    }
    return b.append('}').toString();
  }

  /** A preset range moves with the newest event: its fields go with the panels read for it. */
  private static void appendRange(StringBuilder b, Read r) {
    if (r.range() != null) {
      for (Map.Entry<String, Object> e : r.range().entrySet()) {
        b.append(',').append(text(e.getKey())).append(':').append(text(e.getValue()));
      }
    }
  }

  /** Remembers that the panels of {@code r} were sent, and not its cursor (a panels-only read). */
  void sentPanels(Read r) {
    if (r.panels() != null) {
      sentPanels = r.panels();
    }
  }

  /** Remembers that {@code r} was sent. */
  void sent(Read r) {
    if (r.panels() != null) {
      sentPanels = r.panels();
    }
    cursor = Math.max(cursor, r.cursor());
  }

  /**
   * The panels whose JSON differs from {@code before} (all when null), the feed not if {@code
   * noFeed}.
   */
  private static void appendPanels(
      StringBuilder b, Map<String, String> panels, Map<String, String> before, boolean noFeed) {
    boolean first = true;
    for (Map.Entry<String, String> p : panels.entrySet()) {
      if (before != null
          && ((noFeed && p.getKey().equals(FEED))
              || Objects.equals(p.getValue(), before.get(p.getKey())))) {
        continue;
      }
      if (!first) {
        b.append(',');
      }
      first = false;
      b.append(text(p.getKey())).append(':').append(p.getValue());
    }
  }

  /** The new feed rows in the feed panel's columns, newest first, and how many were left out. */
  private static String feed(Table since) {
    List<String> columns = since.columns();
    int batch = columns.indexOf("batch");
    int total = columns.indexOf("total");
    List<String> out = new ArrayList<>();
    for (int i = 0; i < columns.size(); i++) {
      if (i != batch && i != total) {
        out.add(columns.get(i));
      }
    }
    List<List<Object>> rows = new ArrayList<>(since.rows().size());
    for (List<Object> row : since.rows()) {
      List<Object> r = new ArrayList<>(out.size());
      for (int i = 0; i < row.size(); i++) {
        if (i != batch && i != total) {
          r.add(row.get(i));
        }
      }
      rows.add(r);
    }
    long matched = ((Number) since.rows().get(0).get(total)).longValue();
    Map<String, Object> feed = new LinkedHashMap<>();
    feed.put("columns", out);
    feed.put("rows", rows);
    feed.put("skipped", matched - rows.size());
    return text(feed);
  }

  static String text(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
