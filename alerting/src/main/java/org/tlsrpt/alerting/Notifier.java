package org.tlsrpt.alerting;

import org.tlsrpt.storage.Alert;

/** A channel alerts are sent through. */
public interface Notifier {
  /** webhook, slack or email: recorded with each alert. */
  String name();

  /**
   * Sends one alert; returns once the receiver accepted it.
   *
   * @throws Exception it was not accepted (the alert is recorded as not delivered there)
   */
  void send(Alert alert) throws Exception;
}
