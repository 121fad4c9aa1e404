package org.wikievents.cli;

import java.time.Duration;
import okhttp3.HttpUrl;
import okhttp3.OkHttp;
import org.wikievents.source.SourceStatus;
import org.wikievents.source.SseSettings;
import picocli.CommandLine.Option;

/** Which live stream to follow and how to present ourselves to Wikimedia. */
final class LiveOptions {
  static final String EVENTSTREAMS = "https://stream.wikimedia.org/v2/stream/";

  @Option(
      names = "--stream",
      paramLabel = "NAME",
      defaultValue = "recentchange",
      description = "EventStreams stream to follow (default: ${DEFAULT-VALUE}).")
  String stream;

  @Option(
      names = "--stream-url",
      paramLabel = "URL",
      converter = Converters.UrlConverter.class,
      description = "Full stream URL, instead of " + EVENTSTREAMS + "<stream>.")
  HttpUrl streamUrl;

  @Option(
      names = "--since",
      paramLabel = "TIME",
      converter = Converters.SinceConverter.class,
      description =
          "Backfill from this time (2026-05-05T11:00:00Z, 2026-05-05, epoch ms, or 2h for two"
              + " hours ago). Only used when the store has no resume point for the stream.")
  String since;

  @Option(
      names = "--contact",
      paramLabel = "URL_OR_EMAIL",
      defaultValue = "${env:WIKI_EVENTS_CONTACT:-https://github.com/wiki-events/wiki-events}",
      description =
          "Contact sent in the User-Agent, as Wikimedia's policy asks (env WIKI_EVENTS_CONTACT;"
              + " default: ${DEFAULT-VALUE}).")
  String contact;

  @Option(
      names = "--stall-timeout",
      paramLabel = "DURATION",
      defaultValue = "60s",
      converter = Converters.DurationConverter.class,
      description =
          "Reconnect when the stream sends nothing for this long (default: ${DEFAULT-VALUE}).")
  Duration stallTimeout;

  @Option(
      names = "--health-max-retrying",
      paramLabel = "DURATION",
      defaultValue = "2m",
      converter = Converters.DurationConverter.class,
      description =
          "/health answers 503 once connecting has failed for this long (default:"
              + " ${DEFAULT-VALUE}).")
  Duration maxRetrying;

  @Option(
      names = "--health-max-silence",
      paramLabel = "DURATION",
      defaultValue = "5m",
      converter = Converters.DurationConverter.class,
      description =
          "/health answers 503 once no event has arrived for this long (default:"
              + " ${DEFAULT-VALUE}).")
  Duration maxSilence;

  SourceStatus.Thresholds thresholds() {
    return new SourceStatus.Thresholds(maxRetrying, maxSilence);
  }

  HttpUrl url() {
    if (streamUrl != null) {
      return streamUrl;
    }
    if (!stream.matches("[a-z0-9._-]+(,[a-z0-9._-]+)*")) {
      throw new IllegalArgumentException("'" + stream + "' is not a stream name");
    }
    return HttpUrl.get(EVENTSTREAMS + stream);
  }

  String userAgent() {
    String c = contact.replaceAll("[\\p{Cntrl}()]", "").strip();
    return "wiki-events/" + Version.NUMBER + " (" + c + ") okhttp/" + OkHttp.VERSION;
  }

  SseSettings settings(String resumeId) {
    if (stallTimeout.isZero() || stallTimeout.isNegative()) {
      throw new IllegalArgumentException("--stall-timeout must be positive");
    }
    return new SseSettings(
        url(),
        stream,
        userAgent(),
        resumeId,
        since,
        stallTimeout,
        Duration.ofSeconds(1),
        Duration.ofMinutes(1));
  }
}
