package org.wikievents.event;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One event exactly as a source received it, before any parsing.
 *
 * @param stream the stream it came from ({@code recentchange}), or {@code replay} for files, so a
 *     replay never moves the live resume point
 * @param sseId the SSE {@code id:} that came with it, or null (NDJSON recordings have none)
 * @param utf8 the {@code data:} payload, one JSON object, as UTF-8 bytes: parsed, published and
 *     archived as bytes, so most events are never decoded to text (which cost a third of a file
 *     replay's reading thread). Always well-formed UTF-8; do not modify.
 * @param receivedAtMillis when we received it, epoch milliseconds
 * @param problem what the source already found wrong with the bytes (invalid UTF-8, too long), or
 *     null; such an event is quarantined without parsing
 */
// The bytes as they came, never copied per use; equals and hashCode compare their content.
@SuppressWarnings("ArrayRecordComponent")
public record RawEvent(
    String stream,
    @Nullable String sseId,
    byte[] utf8,
    long receivedAtMillis,
    @Nullable String problem) {
  /** The stream of events read from a file: never a live resume point. */
  public static final String REPLAY_STREAM = "replay";

  public RawEvent {
    Objects.requireNonNull(utf8, "utf8");
  }

  /** Whether this event moves its stream's resume point: a live event with an SSE id. */
  public boolean resumesLiveStream() {
    return sseId != null && !REPLAY_STREAM.equals(stream);
  }

  public static RawEvent of(
      String stream, @Nullable String sseId, String data, long receivedAtMillis) {
    return new RawEvent(
        stream, sseId, data.getBytes(StandardCharsets.UTF_8), receivedAtMillis, null);
  }

  /**
   * An event from bytes as they came: bytes that are not well-formed UTF-8 are kept with U+FFFD in
   * place of each bad sequence (text columns and files take only UTF-8) and the problem noted.
   */
  public static RawEvent fromBytes(
      String stream,
      @Nullable String sseId,
      byte[] bytes,
      long receivedAtMillis,
      @Nullable String problem) {
    if (Utf8.isValid(bytes)) {
      return new RawEvent(stream, sseId, bytes, receivedAtMillis, problem);
    }
    byte[] replaced = new String(bytes, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8);
    return new RawEvent(
        stream, sseId, replaced, receivedAtMillis, problem != null ? problem : "invalid UTF-8");
  }

  /** The payload as text: decoded on each call, for the few places that need text. */
  public String data() {
    return new String(utf8, StandardCharsets.UTF_8);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof RawEvent r
        && receivedAtMillis == r.receivedAtMillis
        && Objects.equals(stream, r.stream)
        && Objects.equals(sseId, r.sseId)
        && Arrays.equals(utf8, r.utf8)
        && Objects.equals(problem, r.problem);
  }

  @Override
  public int hashCode() {
    return Objects.hash(stream, sseId, Arrays.hashCode(utf8), receivedAtMillis, problem);
  }

  @Override
  public String toString() {
    return "RawEvent[stream="
        + stream
        + ", sseId="
        + sseId
        + ", data="
        + data()
        + ", receivedAtMillis="
        + receivedAtMillis
        + ", problem="
        + problem
        + "]";
  }
}
