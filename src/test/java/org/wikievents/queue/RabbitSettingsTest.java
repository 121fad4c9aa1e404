package org.wikievents.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RabbitSettingsTest {
  @Test
  void theUriIsLoggedWithoutItsPassword() {
    assertThat(RabbitSettings.mask("amqp://loader:s3cr%40t@mq.example.org:5671/prod"))
        .isEqualTo("amqp://loader:****@mq.example.org:5671/prod");
    assertThat(RabbitSettings.mask("amqps://only-user@mq.example.org/%2f"))
        .isEqualTo("amqps://only-user@mq.example.org/%2f");
    assertThat(RabbitSettings.mask("amqp://mq.example.org")).isEqualTo("amqp://mq.example.org");
    assertThat(RabbitSettings.mask("amqp://u:pw@[bad")).doesNotContain("pw");
  }

  @Test
  void aMalformedUriIsRefusedWithoutEchoingThePassword() {
    RabbitSettings s = new RabbitSettings("http://u:s3cret@host/", "x", "q", 10, 10, 20);
    assertThatThrownBy(() -> new RabbitQueue(s))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the AMQP URI http://u:****@host/ is not valid");
  }

  @Test
  void reservedOrEmptyNamesAreRefused() {
    assertThatThrownBy(() -> new RabbitSettings("amqp://h", "amq.topic", "q", 10, 10, 20))
        .hasMessageContaining("'amq.topic' is not a usable exchange or queue name");
    assertThatThrownBy(() -> new RabbitSettings("amqp://h", "x", " ", 10, 10, 20))
        .hasMessageContaining("is not a usable");
    assertThatThrownBy(() -> new RabbitSettings("amqp://h", "x", "q", 70_000, 10, 20))
        .hasMessageContaining("prefetch must be between 1 and 65535");
  }
}
