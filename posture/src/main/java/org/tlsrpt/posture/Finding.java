package org.tlsrpt.posture;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One verdict of a posture check.
 *
 * @param id stable identifier of the check (e.g. {@code mx.certificate_expiry}); alerts key on it
 * @param status the verdict
 * @param subject what was looked at: a DNS name, the policy URL, an MX host
 * @param message what was found
 * @param remedy what to do about it; empty when the status is OK or NOT_CHECKED
 * @param facts machine-readable details (e.g. {@code days_to_expiry}, {@code policy_id}), in a
 *     stable order
 */
public record Finding(
    String id,
    Status status,
    String subject,
    String message,
    String remedy,
    Map<String, String> facts) {

  public Finding {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(message, "message");
    remedy = remedy == null ? "" : remedy;
    // an unmodifiable copy that keeps the insertion order for output
    facts = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(facts));
  }

  static Finding ok(String id, String subject, String message, Map<String, String> facts) {
    return new Finding(id, Status.OK, subject, message, "", facts);
  }

  static Finding ok(String id, String subject, String message) {
    return ok(id, subject, message, Map.of());
  }

  static Finding warn(String id, String subject, String message, String remedy) {
    return new Finding(id, Status.WARN, subject, message, remedy, Map.of());
  }

  static Finding fail(String id, String subject, String message, String remedy) {
    return new Finding(id, Status.FAIL, subject, message, remedy, Map.of());
  }

  static Finding notChecked(String id, String subject, String why) {
    return new Finding(id, Status.NOT_CHECKED, subject, why, "", Map.of());
  }

  /** This finding with more facts added after the existing ones. */
  Finding with(Map<String, String> more) {
    Map<String, String> all = new LinkedHashMap<>(facts);
    all.putAll(more);
    return new Finding(id, status, subject, message, remedy, all);
  }

  Finding with(String key, String value) {
    return with(Map.of(key, value));
  }
}
