package org.wikievents.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.wikievents.alert.Alerting;
import org.wikievents.alert.Webhook;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** The alert rules' thresholds and where alerts are posted (docs/alerts.md). */
final class AlertOptions {
  @Option(
      names = "--alert-webhook",
      paramLabel = "[slack:]URL",
      converter = WebhookConverter.class,
      description =
          "Post every alert to this URL as JSON; with slack: before it, as a Slack-compatible"
              + " message (Slack, Mattermost, Rocket.Chat). Repeatable.")
  List<Webhook> webhooks = new ArrayList<>();

  @Option(
      names = "--alert-wiki-factor",
      paramLabel = "N",
      defaultValue = "5",
      converter = FactorConverter.class,
      description =
          "Alert when a wiki's last hour is N times its usual for this weekday-hour, or more"
              + " (at least 3; 0 turns it off; default: ${DEFAULT-VALUE}).")
  double wikiFactor;

  @Option(
      names = "--alert-page-factor",
      paramLabel = "N",
      defaultValue = "10",
      converter = FactorConverter.class,
      description =
          "Alert when a page's last 10 minutes are N times its rate in the 50 before, or more"
              + " (at least 3; 0 turns it off; default: ${DEFAULT-VALUE}).")
  double pageFactor;

  @Option(
      names = "--alert-ingest-stale",
      paramLabel = "DURATION",
      defaultValue = "5m",
      converter = Converters.DurationConverter.class,
      description =
          "Alert when ingestion failed, or nothing was stored, or the newest event is this old"
              + " (live feed only; 0 turns it off; default: ${DEFAULT-VALUE}).")
  Duration ingestStale;

  @Option(
      names = "--alert-quarantine-share",
      paramLabel = "SHARE",
      defaultValue = "0.05",
      converter = ShareConverter.class,
      description =
          "Alert when more than this share of the events of the last 10 minutes went to"
              + " quarantine (0 turns it off; default: ${DEFAULT-VALUE}).")
  double quarantineShare;

  @Option(
      names = "--alert-cooldown",
      paramLabel = "DURATION",
      defaultValue = "1h",
      converter = Converters.DurationConverter.class,
      description =
          "An alert fires at most once per subject in this time (default: ${DEFAULT-VALUE}).")
  Duration coolDown;

  Alerting.Settings settings() {
    return new Alerting.Settings(
        webhooks, wikiFactor, pageFactor, ingestStale, quarantineShare, coolDown);
  }

  static final class WebhookConverter implements ITypeConverter<Webhook> {
    @Override
    public Webhook convert(String value) {
      try {
        return Webhook.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  static final class FactorConverter implements ITypeConverter<Double> {
    @Override
    public Double convert(String value) {
      double f = number(value);
      if (f != 0 && !(f >= 3)) {
        throw new TypeConversionException(
            "'" + value + "' is not a spike factor (0 for off, or 3 and more)");
      }
      return f;
    }
  }

  static final class ShareConverter implements ITypeConverter<Double> {
    @Override
    public Double convert(String value) {
      double s = number(value);
      if (!(s >= 0 && s < 1)) {
        throw new TypeConversionException(
            "'" + value + "' is not a share (0 for off, up to below 1, e.g. 0.05)");
      }
      return s;
    }
  }

  private static double number(String value) {
    try {
      double d = Double.parseDouble(value.trim().toLowerCase(Locale.ROOT));
      if (Double.isFinite(d)) {
        return d;
      }
    } catch (NumberFormatException ignored) {
      // falls through to the message below
    }
    throw new TypeConversionException("'" + value + "' is not a number");
  }
}
