package org.wikievents.source;

import java.time.Duration;
import okhttp3.HttpUrl;

/**
 * How to follow one EventStreams stream.
 *
 * @param url the stream, e.g. {@code https://stream.wikimedia.org/v2/stream/recentchange}
 * @param stream its name, under which the resume point is kept
 * @param userAgent sent on every request; Wikimedia answers 403 without a descriptive one
 * @param lastEventId resume after this SSE id (the committed checkpoint), or null
 * @param since where to start when there is no id to resume from (ISO-8601 or epoch ms), or null
 * @param stallTimeout reconnect when no byte arrived for this long
 * @param minBackoff first delay before reconnecting after an error; doubles up to {@code
 *     maxBackoff}
 */
public record SseSettings(
    HttpUrl url,
    String stream,
    String userAgent,
    String lastEventId,
    String since,
    Duration stallTimeout,
    Duration minBackoff,
    Duration maxBackoff) {}
