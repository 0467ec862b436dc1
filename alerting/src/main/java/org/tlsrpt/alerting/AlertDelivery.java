package org.tlsrpt.alerting;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tlsrpt.storage.Alert;
import org.tlsrpt.storage.AlertHistory;

/**
 * Sends alerts to every channel, at most once per (rule, key) within the cooldown (once ever for
 * rules whose key names its window), and records each in the alert history, from which the cooldown
 * is read back after a restart or when another process shares the store.
 */
final class AlertDelivery {
  private static final Logger LOG = LoggerFactory.getLogger(AlertDelivery.class);

  /** Rules whose key names its window: sent once per key, not again after the cooldown. */
  private static final Set<String> ONCE_PER_KEY =
      java.util.Arrays.stream(AlertRule.values())
          .filter(AlertRule::oncePerKey)
          .map(AlertRule::wire)
          .collect(java.util.stream.Collectors.toUnmodifiableSet());

  private final AlertHistory history;
  private final List<Notifier> notifiers;
  private final Duration cooldown;
  private final Clock clock;
  private final Map<AlertHistory.RuleKey, Instant> lastSent = new ConcurrentHashMap<>();
  final LongAdder fired = new LongAdder();
  final LongAdder suppressed = new LongAdder();
  final LongAdder deliveryFailures = new LongAdder();

  AlertDelivery(AlertHistory history, List<Notifier> notifiers, Duration cooldown, Clock clock) {
    this.history = history;
    this.notifiers = List.copyOf(notifiers);
    this.cooldown = cooldown;
    this.clock = clock;
    lastSent.putAll(history.lastDelivered()); // the cooldown survives restarts
  }

  /** Sends {@code a} unless it is cooling down; records it. True when sent. */
  synchronized boolean fire(Alert a) {
    AlertHistory.RuleKey k = new AlertHistory.RuleKey(a.rule(), a.key());
    Instant now = clock.instant();
    Instant last = lastSent.get(k);
    if (last == null || Duration.between(last, now).compareTo(cooldown) >= 0) {
      last = lastInHistory(k); // another worker sharing the store may have sent it meanwhile
    }
    if (last != null && ONCE_PER_KEY.contains(a.rule())) {
      // the key names the day (failure rate) or the silence (reporter): said once is enough
      lastSent.put(k, last);
      suppressed.increment();
      return false;
    }
    if (last != null && Duration.between(last, now).compareTo(cooldown) < 0) {
      lastSent.put(k, last);
      suppressed.increment();
      return false;
    }
    List<String> channels = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    for (Notifier n : notifiers) {
      channels.add(n.name());
      try {
        n.send(a);
      } catch (Exception e) {
        if (e instanceof InterruptedException) {
          Thread.currentThread().interrupt(); // recorded as not delivered; the flag stays set
        }
        deliveryFailures.increment();
        failures.add(n.name() + ": " + e.getMessage());
        LOG.warn("could not send the alert '{}' by {}: {}", a.message(), n.name(), e.toString());
      }
    }
    AlertHistory.Entry entry = new AlertHistory.Entry(now, a, channels, delivery(failures));
    record(entry);
    if (entry.delivered()) {
      lastSent.put(k, now); // a failed delivery is tried again at the next evaluation
      fired.increment();
      LOG.info("alert: {} ({})", a.message(), entry.delivery());
      return true;
    }
    return false;
  }

  private String delivery(List<String> failures) {
    if (notifiers.isEmpty()) {
      return "no channel configured";
    }
    if (failures.isEmpty()) {
      return "sent";
    }
    return failures.size() == notifiers.size()
        ? AlertHistory.FAILED + ": " + String.join("; ", failures)
        : "partly sent; " + String.join("; ", failures);
  }

  private Instant lastInHistory(AlertHistory.RuleKey k) {
    try {
      return history.lastDelivered(k).orElse(null);
    } catch (RuntimeException e) {
      return null;
    }
  }

  private void record(AlertHistory.Entry e) {
    try {
      history.record(e);
    } catch (RuntimeException x) {
      LOG.warn("could not record the alert in the history: {}", x.toString());
    }
  }
}
