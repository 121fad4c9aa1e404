package org.wikievents.alert;

import java.util.Locale;
import okhttp3.HttpUrl;

/**
 * Where alerts are posted, and as what: the generic JSON document, or a Slack-compatible message
 * ({@code {"text": ...}}, which Mattermost and Rocket.Chat accept too).
 */
public record Webhook(HttpUrl url, Format format) {
  public enum Format {
    JSON,
    SLACK
  }

  private static final String SLACK_PREFIX = "slack:";

  /**
   * Reads {@code URL} (JSON) or {@code slack:URL}; throws IllegalArgumentException with a message
   * for the user. The message never repeats the URL's path: a Slack URL's path is its secret.
   */
  public static Webhook parse(String spec) {
    String s = spec.strip();
    Format format = Format.JSON;
    if (s.toLowerCase(Locale.ROOT).startsWith(SLACK_PREFIX)) {
      format = Format.SLACK;
      s = s.substring(SLACK_PREFIX.length());
    }
    HttpUrl url = HttpUrl.parse(s);
    if (url == null) {
      throw new IllegalArgumentException(
          "--alert-webhook takes an http(s) URL, optionally after slack:, not '"
              + spec.replaceAll("(?<=//[^/]{0,200}/).*", "…")
              + "'");
    }
    return new Webhook(url, format);
  }

  /** Scheme, host and port only: what logs may show. */
  public String redacted() {
    return (format == Format.SLACK ? SLACK_PREFIX : "")
        + url.scheme()
        + "://"
        + url.host()
        + ":"
        + url.port()
        + "/…";
  }

  @Override
  public String toString() {
    return redacted();
  }
}
