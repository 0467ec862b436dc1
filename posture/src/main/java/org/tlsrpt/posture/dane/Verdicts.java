package org.tlsrpt.posture.dane;

import java.util.LinkedHashMap;
import java.util.Map;
import org.tlsrpt.posture.Finding;
import org.tlsrpt.posture.Status;

/** Short forms of the {@link Finding} constructor for the DANE findings. */
final class Verdicts {
  private Verdicts() {}

  static Finding ok(String id, String subject, String message, Map<String, String> facts) {
    return new Finding(id, Status.OK, subject, message, "", facts);
  }

  static Finding warn(
      String id, String subject, String message, String remedy, Map<String, String> facts) {
    return new Finding(id, Status.WARN, subject, message, remedy, facts);
  }

  static Finding fail(
      String id, String subject, String message, String remedy, Map<String, String> facts) {
    return new Finding(id, Status.FAIL, subject, message, remedy, facts);
  }

  static Finding notChecked(String id, String subject, String why) {
    return new Finding(id, Status.NOT_CHECKED, subject, why, "", Map.of());
  }

  /** The finding with its message extended and facts added. */
  static Finding extended(Finding f, String moreMessage, Map<String, String> moreFacts) {
    Map<String, String> facts = new LinkedHashMap<>(f.facts());
    facts.putAll(moreFacts);
    return new Finding(
        f.id(), f.status(), f.subject(), f.message() + moreMessage, f.remedy(), facts);
  }

  /** An ordered map of alternating keys and values. */
  static Map<String, String> facts(String... kv) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i + 1 < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }
}
