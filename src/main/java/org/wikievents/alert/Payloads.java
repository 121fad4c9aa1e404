package org.wikievents.alert;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.wikievents.store.Alert;

/** The bodies posted to webhooks (examples in docs/alerts.md). */
final class Payloads {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Longest message sent: a page title is at most 255 bytes, so this cuts only garbage. */
  private static final int MAX_MESSAGE = 1000;

  private Payloads() {}

  static String body(Webhook.Format format, Alert a) {
    return format == Webhook.Format.SLACK ? slack(a) : json(a);
  }

  static String json(Alert a) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("source", "wiki-events");
    m.put("rule", a.rule());
    m.put("subject", a.subject());
    m.put("state", a.state());
    m.put("at", a.at().toString());
    m.put("message", capped(a.message()));
    return write(m);
  }

  /**
   * Slack's {@code text}: event text is escaped as Slack asks ({@code & < >}), so a page title can
   * neither mention {@code <!channel>} nor make a link.
   */
  static String slack(Alert a) {
    String text =
        (a.firing() ? ":rotating_light: " : ":white_check_mark: ")
            + "wiki-events "
            + a.rule()
            + " "
            + a.state()
            + ": "
            + capped(a.message());
    return write(Map.of("text", escapeSlack(text)));
  }

  static String escapeSlack(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  private static String capped(String s) {
    return s.length() <= MAX_MESSAGE ? s : s.substring(0, MAX_MESSAGE) + "…";
  }

  private static String write(Object o) {
    try {
      return JSON.writeValueAsString(o);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
