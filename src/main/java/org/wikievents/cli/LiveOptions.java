package org.wikievents.cli;

import java.time.Duration;
import okhttp3.HttpUrl;
import okhttp3.OkHttp;
import org.wikievents.source.SourceStatus;
import org.wikievents.source.SseSettings;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

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
          "Start from this time (2026-05-05T11:00:00Z, 2026-05-05, epoch ms, or 2h for two hours"
              + " ago) instead of now. A resume point wins: the store's checkpoint for the stream"
              + " (run), the --state file (reader).")
  String since;

  static final String CONTACT_ENV = "WIKI_EVENTS_CONTACT";
  static final String PROJECT_URL = "https://github.com/wiki-events/wiki-events";

  @Spec(Spec.Target.MIXEE)
  CommandSpec mixee;

  @Option(
      names = "--contact",
      paramLabel = "URL_OR_EMAIL",
      defaultValue = "${env:" + CONTACT_ENV + "}",
      description =
          "Your URL or e-mail, sent in the User-Agent as Wikimedia's policy asks (default: $"
              + CONTACT_ENV
              + "; without either, the project's URL and a warning).")
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
    String c = contact == null ? "" : contact.replaceAll("[\\p{Cntrl}()]", "").strip();
    if (c.isEmpty()) {
      c = PROJECT_URL;
      if (mixee != null) {
        mixee
            .commandLine()
            .getErr()
            .println(
                "wiki-events: warning: no --contact and no "
                    + CONTACT_ENV
                    + ": Wikimedia asks for a way to reach you in the User-Agent"
                    + " (https://meta.wikimedia.org/wiki/User-Agent_policy); set one of them");
      }
    }
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
