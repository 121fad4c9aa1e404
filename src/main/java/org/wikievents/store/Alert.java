package org.wikievents.store;

import java.time.Instant;

/**
 * An alert as {@code wiki_alerts} keeps it: a rule fired for a subject (a wiki, a page, ingestion),
 * or an alert that fired earlier cleared.
 *
 * @param rule which rule, e.g. {@code wiki_spike}
 * @param subject what it is about, e.g. {@code enwiki}
 * @param message what to tell people, one line
 */
public record Alert(Instant at, String rule, String subject, boolean firing, String message) {
  /** {@code firing} or {@code cleared}, as stored and sent. */
  public String state() {
    return firing ? "firing" : "cleared";
  }
}
