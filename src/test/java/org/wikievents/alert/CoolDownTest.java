package org.wikievents.alert;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.wikievents.store.Alert;

class CoolDownTest {
  private static final Instant T0 = Instant.parse("2026-05-05T11:00:00Z");
  private final CoolDown coolDown = new CoolDown(Duration.ofHours(1));

  @Test
  void aSubjectFiresOncePerCoolDownHoweverItFlapsAndEachFiringClearsOnce() {
    Map<String, String> breaching = Map.of("enwiki", "enwiki is busy");
    assertThat(states(coolDown.update("wiki_spike", breaching, T0))).containsExactly("firing");
    assertThat(coolDown.update("wiki_spike", breaching, at(1))).isEmpty();
    assertThat(states(coolDown.update("wiki_spike", Map.of(), at(2)))).containsExactly("cleared");
    assertThat(coolDown.update("wiki_spike", Map.of(), at(3))).isEmpty();
    // Back within the cool-down: silent, and so nothing to clear either.
    assertThat(coolDown.update("wiki_spike", breaching, at(30))).isEmpty();
    assertThat(coolDown.update("wiki_spike", Map.of(), at(31))).isEmpty();
    assertThat(states(coolDown.update("wiki_spike", breaching, at(60)))).containsExactly("firing");
    assertThat(coolDown.activeCount()).isOne();
  }

  @Test
  void subjectsAndRulesCoolDownApart() {
    List<Alert> a = coolDown.update("wiki_spike", Map.of("enwiki", "a", "dewiki", "b"), T0);
    assertThat(a).extracting(Alert::subject).containsExactlyInAnyOrder("enwiki", "dewiki");
    List<Alert> b = coolDown.update("page_spike", Map.of("enwiki", "c"), T0);
    assertThat(b).extracting(Alert::subject).containsExactly("enwiki");
    // Another rule's update does not clear this rule's alerts.
    assertThat(coolDown.update("page_spike", Map.of(), at(1)))
        .extracting(Alert::rule, Alert::subject, Alert::message)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("page_spike", "enwiki", "Cleared: c"));
    assertThat(coolDown.activeCount()).isEqualTo(2);
  }

  private static Instant at(long minutes) {
    return T0.plus(Duration.ofMinutes(minutes));
  }

  private static List<String> states(List<Alert> alerts) {
    return alerts.stream().map(Alert::state).toList();
  }
}
