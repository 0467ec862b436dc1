package org.tlsrpt.alerting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tlsrpt.storage.Alert;

/**
 * What every alert channel promises the alert engine (James' contract-test style: implemented once
 * per channel, against a real receiver on loopback): {@code send} returns only once the receiver
 * took the alert, what arrives names the rule, the domain, the sender and the message, and a
 * receiver that is not there is an exception, so that the alert is recorded as not delivered and
 * tried again.
 */
interface NotifierContract {
  /** A notifier sending to the test's receiver. */
  Notifier notifier() throws Exception;

  /** A notifier of the same kind whose receiver does not answer. */
  Notifier notifierToNowhere() throws Exception;

  /** Everything the receiver has taken so far, one entry per alert, as text. */
  List<String> received();

  static Alert alert() {
    return new Alert(
        AlertRule.ENFORCE_FAILURES.wire(),
        "example.com|Mail Sender Inc|certificate-expired",
        "example.com",
        "Mail Sender Inc",
        "enforce",
        List.of("certificate-expired"),
        List.of("mx1.example.com"),
        42,
        Instant.parse("2026-03-01T00:00:00Z"),
        Instant.parse("2026-03-01T23:59:59Z"),
        "example.com: 42 session(s) from Mail Sender Inc failed (certificate-expired) under the"
            + " enforce policy: that mail is refused",
        "http://127.0.0.1:8080/?domain=example.com");
  }

  @Test
  default void deliversTheAlertBeforeReturning() throws Exception {
    notifier().send(alert());

    assertThat(received()).hasSize(1);
    assertThat(received().getFirst())
        .contains("example.com", "Mail Sender Inc", "certificate-expired", "42 session(s)");
  }

  @Test
  default void deliversEachAlertOnce() throws Exception {
    Notifier n = notifier();
    n.send(alert());
    n.send(alert());

    assertThat(received()).hasSize(2);
  }

  @Test
  default void aReceiverThatIsNotThereIsAnExceptionNotASilentLoss() throws Exception {
    Notifier n = notifierToNowhere();

    assertThatThrownBy(() -> n.send(alert())).isInstanceOf(Exception.class);
  }

  @Test
  default void namesItselfForTheAlertHistory() throws Exception {
    assertThat(notifier().name()).isIn("webhook", "slack", "email");
  }
}
