package org.wikievents.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.wikievents.store.Alert;

class PayloadsTest {
  private static final Alert HOSTILE =
      new Alert(
          Instant.parse("2026-05-05T11:17:40Z"),
          "page_spike",
          "enwiki:<!channel> & <http://evil|x>",
          true,
          "<!channel> & <http://evil|x> on en.wikipedia.org: 12 changes");
  private final ObjectMapper json = new ObjectMapper();

  @Test
  void theJsonDocumentCarriesEveryFieldAsIs() throws Exception {
    JsonNode n = json.readTree(Payloads.json(HOSTILE));
    assertThat(n.toString())
        .isEqualTo(
            "{\"source\":\"wiki-events\",\"rule\":\"page_spike\","
                + "\"subject\":\"enwiki:<!channel> & <http://evil|x>\",\"state\":\"firing\","
                + "\"at\":\"2026-05-05T11:17:40Z\","
                + "\"message\":\"<!channel> & <http://evil|x> on en.wikipedia.org: 12 changes\"}");
  }

  @Test
  void slackTextIsEscapedSoEventTextCannotMentionOrLink() throws Exception {
    JsonNode n = json.readTree(Payloads.slack(HOSTILE));
    assertThat(n.get("text").asText())
        .isEqualTo(
            ":rotating_light: wiki-events page_spike firing: &lt;!channel&gt; &amp;"
                + " &lt;http://evil|x&gt; on en.wikipedia.org: 12 changes");
  }

  @Test
  void aWebhookIsJsonUnlessMarkedSlack() {
    assertThat(Webhook.parse("http://127.0.0.1:9/a").format()).isEqualTo(Webhook.Format.JSON);
    Webhook s = Webhook.parse("slack:https://hooks.slack.com/services/T0/B0/secret");
    assertThat(s.format()).isEqualTo(Webhook.Format.SLACK);
    assertThat(s.toString()).isEqualTo("slack:https://hooks.slack.com:443/…");
    assertThatThrownBy(() -> Webhook.parse("ftp://example.org/services/T0/secret"))
        .hasMessageNotContaining("secret")
        .hasMessageStartingWith("--alert-webhook takes an http(s) URL");
  }
}
