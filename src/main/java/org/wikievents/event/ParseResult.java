package org.wikievents.event;

/** What the parser made of one {@link RawEvent}: kept, discarded as a canary, or quarantined. */
public sealed interface ParseResult {

  RawEvent raw();

  /** A valid event, bound for bronze, silver and gold. */
  record Accepted(RawEvent raw, WikiEvent event) implements ParseResult {}

  /** A synthetic monitoring event ({@code meta.domain == "canary"}); never stored. */
  record Canary(RawEvent raw) implements ParseResult {}

  /** An event that cannot be stored as is; it goes to quarantine with the reason. */
  record Rejected(RawEvent raw, String reason) implements ParseResult {}
}
