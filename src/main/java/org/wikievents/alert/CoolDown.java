package org.wikievents.alert;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.wikievents.store.Alert;

/**
 * Turns what the rules see into alerts: a subject that starts breaking a rule fires, unless it
 * fired within the cool-down; one that stops clears, once. So each subject fires at most once per
 * cool-down however often it flaps, and every firing is followed by one clearing.
 */
final class CoolDown {
  private record Key(String rule, String subject) {}

  private final Duration coolDown;
  private final Map<Key, Instant> lastFired = new HashMap<>();
  private final Map<Key, String> active = new HashMap<>();

  CoolDown(Duration coolDown) {
    this.coolDown = coolDown;
  }

  /** The alerts that {@code rule}'s breaches at {@code now} fire and clear. */
  List<Alert> update(String rule, Map<String, String> breaches, Instant now) {
    List<Alert> out = new ArrayList<>();
    for (Map.Entry<String, String> b : breaches.entrySet()) {
      Key k = new Key(rule, b.getKey());
      if (active.containsKey(k)) {
        continue;
      }
      Instant last = lastFired.get(k);
      if (last == null || !now.isBefore(last.plus(coolDown))) {
        lastFired.put(k, now);
        active.put(k, b.getValue());
        out.add(new Alert(now, rule, b.getKey(), true, b.getValue()));
      }
    }
    for (Iterator<Map.Entry<Key, String>> it = active.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<Key, String> e = it.next();
      Key k = e.getKey();
      if (k.rule().equals(rule) && !breaches.containsKey(k.subject())) {
        it.remove();
        out.add(new Alert(now, rule, k.subject(), false, "Cleared: " + e.getValue()));
      }
    }
    // Only subjects still cooling down need remembering: bounded by what fired in one cool-down.
    lastFired
        .entrySet()
        .removeIf(
            e -> !active.containsKey(e.getKey()) && !now.isBefore(e.getValue().plus(coolDown)));
    return out;
  }

  /** How many alerts are firing now. */
  int activeCount() {
    return active.size();
  }
}
