package org.tlsrpt.ingest.smtp;

import java.net.InetAddress;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;

/**
 * How the SMTP listener runs.
 *
 * @param port 0 picks a free port (the caller reads it back from the listener)
 * @param recipients the only addresses mail is accepted for (case-insensitive); others get 550
 * @param tls the certificate offered with STARTTLS, or null to offer no STARTTLS
 * @param maxMessageBytes larger messages are refused with 552 before they are stored
 * @param maxConnections concurrent sessions at most; more wait for a free one
 * @param connectionTimeoutSeconds an idle session is closed after this long
 */
public record SmtpSettings(
    InetAddress bindAddress,
    int port,
    String hostName,
    Set<String> recipients,
    SSLContext tls,
    int maxMessageBytes,
    int maxConnections,
    int connectionTimeoutSeconds) {

  public SmtpSettings {
    recipients =
        recipients.stream()
            .map(r -> r.trim().toLowerCase(Locale.ROOT))
            .filter(r -> !r.isEmpty())
            .collect(Collectors.toUnmodifiableSet());
    if (recipients.isEmpty()) {
      throw new IllegalArgumentException(
          "the SMTP listener needs at least one recipient address (smtp.recipients)");
    }
  }
}
