package org.wikievents.store.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ClickHouseUrlTest {
  @Test
  void userPasswordHostPortAndDatabaseComeFromTheUrl() {
    ClickHouseUrl u = ClickHouseUrl.parse("http://loader:s%40cret@db.example:8124/wiki", null);

    assertThat(u)
        .isEqualTo(new ClickHouseUrl("http://db.example:8124", "loader", "s@cret", "wiki"));
  }

  @Test
  void defaultsAreThoseOfAFreshServer() {
    assertThat(ClickHouseUrl.parse("http://localhost", null))
        .isEqualTo(new ClickHouseUrl("http://localhost:8123", "default", "", "default"));
    assertThat(ClickHouseUrl.parse("https://h/", null).endpoint()).isEqualTo("https://h:8443");
  }

  @Test
  void thePasswordComesFromTheEnvironmentWhenTheUrlHasNone() {
    assertThat(ClickHouseUrl.parse("http://loader@h:8123/db", "from-env").password())
        .isEqualTo("from-env");
    assertThat(ClickHouseUrl.parse("http://loader:in-url@h:8123/db", "from-env").password())
        .isEqualTo("in-url");
  }

  @Test
  void thePasswordIsNeverShown() {
    ClickHouseUrl u = ClickHouseUrl.parse("http://loader:hunter2@h:8123/db", null);

    assertThat(u.toString()).isEqualTo("http://loader@h:8123/db").doesNotContain("hunter2");
    assertThatThrownBy(() -> ClickHouseUrl.parse("ftp://loader:hunter2@h/db", null))
        .hasMessageNotContaining("hunter2")
        .hasMessageContaining("ftp://loader:***@h/db");
  }

  @ParameterizedTest
  @ValueSource(strings = {"ftp://h/db", "h:8123", "http:///db", "http://h/a/b", "http://h/x;DROP"})
  void aBadUrlIsRefusedWithOneLine(String url) {
    assertThatThrownBy(() -> ClickHouseUrl.parse(url, null))
        .isInstanceOf(IllegalArgumentException.class)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }
}
