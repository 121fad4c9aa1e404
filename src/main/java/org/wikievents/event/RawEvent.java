package org.wikievents.event;

/**
 * One event exactly as a source received it, before any parsing.
 *
 * @param stream the stream it came from ({@code recentchange}), or {@code replay} for files, so a
 *     replay never moves the live resume point
 * @param sseId the SSE {@code id:} that came with it, or null (NDJSON recordings have none)
 * @param data the {@code data:} payload, one JSON object as text
 * @param receivedAtMillis when we received it, epoch milliseconds
 * @param problem what the source already found wrong with the bytes (invalid UTF-8, too long), or
 *     null; such an event is quarantined without parsing
 */
public record RawEvent(
    String stream, String sseId, String data, long receivedAtMillis, String problem) {

  public static RawEvent of(String stream, String sseId, String data, long receivedAtMillis) {
    return new RawEvent(stream, sseId, data, receivedAtMillis, null);
  }
}
