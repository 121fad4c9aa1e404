package org.wikievents.alert;

import java.util.Map;
import org.wikievents.store.StoreException;

/** One alerting rule: which subjects break it right now. */
interface Rule {
  /** The rule's name, as stored, sent and counted, e.g. {@code wiki_spike}. */
  String name();

  /** Each subject that breaks the rule now, with the one line to tell people; in a stable order. */
  Map<String, String> breaches() throws StoreException;
}
