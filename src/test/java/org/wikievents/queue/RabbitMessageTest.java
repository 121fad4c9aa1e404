package org.wikievents.queue;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.wikievents.event.RawEvent;

/** What a loader makes of a message, whoever published it. */
class RabbitMessageTest {
  private static final String JSON = "{\"meta\":{\"id\":\"x\"}}";

  @Test
  void aReadersMessageBecomesTheEventItWasPublishedFrom() {
    AMQP.BasicProperties props =
        headers(
            Map.of(
                "stream", "recentchange",
                "sse_id", "[{\"offset\":7}]",
                "received_at", 1_777_979_860_000L));
    RawEvent e = RabbitConsumer.toEvent("recentchange", props, utf8(JSON));
    assertThat(e)
        .isEqualTo(RawEvent.of("recentchange", "[{\"offset\":7}]", JSON, 1_777_979_860_000L));
  }

  @Test
  void withoutHeadersTheRoutingKeyNamesTheStream() {
    RawEvent e = RabbitConsumer.toEvent("page-create", new AMQP.BasicProperties(), utf8(JSON));
    assertThat(e.stream()).isEqualTo("page-create");
    assertThat(e.sseId()).isNull();
    assertThat(e.problem()).isNull();
    assertThat(e.data()).isEqualTo(JSON);
  }

  @Test
  void invalidUtf8IsMarkedForQuarantine() {
    byte[] body = {'{', (byte) 0xff, '}'};
    RawEvent e = RabbitConsumer.toEvent("", new AMQP.BasicProperties(), body);
    assertThat(e.problem()).isEqualTo("invalid UTF-8");
    assertThat(e.stream()).isEqualTo("unknown");
  }

  @Test
  void aHugeBodyIsCutAndMarkedForQuarantine() {
    byte[] body = new byte[RabbitConsumer.MAX_BODY_BYTES + 10];
    Arrays.fill(body, (byte) 'a');
    RawEvent e = RabbitConsumer.toEvent("recentchange", new AMQP.BasicProperties(), body);
    assertThat(e.data()).hasSize(RabbitConsumer.MAX_BODY_BYTES);
    assertThat(e.problem())
        .isEqualTo(
            "event too large: "
                + body.length
                + " bytes, only the first "
                + RabbitConsumer.MAX_BODY_BYTES
                + " were kept");
  }

  @Test
  void aProblemFoundByTheReaderTravelsWithTheEvent() {
    RawEvent e =
        RabbitConsumer.toEvent(
            "replay",
            headers(Map.of("stream", "replay", "problem", "invalid UTF-8")),
            utf8("{\"a\":\"\uFFFD\"}"));
    assertThat(e.problem()).isEqualTo("invalid UTF-8");
  }

  private static AMQP.BasicProperties headers(Map<String, Object> h) {
    return new AMQP.BasicProperties.Builder().headers(h).build();
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
