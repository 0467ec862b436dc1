package org.tlsrpt.app.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.tlsrpt.config.ConfigurationException;
import org.tlsrpt.config.Setting;
import org.tlsrpt.config.Settings;
import org.tlsrpt.ingest.imap.ImapSettings;
import org.tlsrpt.ingest.imap.oauth.OAuthSettings;

/**
 * The keys of serve's IMAP poller ({@code imap.*}) and how they become its {@link ImapSettings} (a
 * record of the ingest module), part of {@link ServeSettings}.
 */
public final class ImapKeys {
  private ImapKeys() {}

  public static final Setting HOST =
      new Setting(
          "imap.host", "", "IMAP server of the rua mailbox to read; empty turns the poller off.");
  public static final Setting PORT =
      new Setting("imap.port", "0", "IMAP port; 0 uses 993 for imaps and 143 otherwise.");
  public static final Setting SECURITY =
      new Setting(
          "imap.security",
          "imaps",
          "imaps (TLS from the first byte), starttls (required) or plain (loopback or a trusted"
              + " network only).");
  public static final Setting USER = new Setting("imap.user", "", "IMAP login.");
  public static final Setting PASSWORD =
      new Setting(
          "imap.password",
          "",
          "IMAP password with imap.auth=password (TLSRPT_IMAP_PASSWORD_FILE reads a file).");
  public static final Setting FOLDER =
      new Setting("imap.folder", "INBOX", "The folder reports arrive in.");
  public static final Setting PROCESSED_FOLDER =
      new Setting(
          "imap.processed_folder", "processed", "Where stored messages are moved (created).");
  public static final Setting REJECTED_FOLDER =
      new Setting(
          "imap.rejected_folder",
          "rejected",
          "Where messages that are not valid reports are moved, after being stored as rejected.");
  public static final Setting DELETE =
      new Setting(
          "imap.delete_after_processing",
          "false",
          "true deletes stored messages instead of moving them (rejected ones are always moved).");
  public static final Setting IDLE =
      new Setting("imap.idle", "true", "Use IMAP IDLE when the server offers it.");
  public static final Setting POLL_SECONDS =
      new Setting(
          "imap.poll_seconds",
          "300",
          "How often the folder is checked without IDLE (with IDLE, how often IDLE is renewed).");
  public static final Setting TRUSTSTORE =
      new Setting(
          "imap.truststore",
          "",
          "PKCS12 or JKS trust store for the server's certificate; empty uses the JDK's.");
  public static final Setting TRUSTSTORE_PASSWORD =
      new Setting("imap.truststore_password", "", "Password of imap.truststore.");
  public static final Setting CONNECT_TIMEOUT_SECONDS =
      new Setting("imap.connect_timeout_seconds", "30", "IMAP connect timeout.");
  public static final Setting READ_TIMEOUT_SECONDS =
      new Setting("imap.read_timeout_seconds", "300", "IMAP read timeout.");
  public static final Setting MAX_BACKOFF_SECONDS =
      new Setting(
          "imap.max_backoff_seconds",
          "300",
          "Longest wait between attempts after a failure (from 1 s, doubling).");
  public static final Setting MAX_MESSAGE_BYTES =
      new Setting(
          "imap.max_message_bytes",
          "32MiB",
          "Larger messages are moved to the rejected folder unread.");

  public static final List<Setting> ALL =
      java.util.stream.Stream.concat(
              java.util.stream.Stream.of(
                  HOST,
                  PORT,
                  SECURITY,
                  USER,
                  PASSWORD,
                  FOLDER,
                  PROCESSED_FOLDER,
                  REJECTED_FOLDER,
                  DELETE,
                  IDLE,
                  POLL_SECONDS,
                  TRUSTSTORE,
                  TRUSTSTORE_PASSWORD,
                  CONNECT_TIMEOUT_SECONDS,
                  READ_TIMEOUT_SECONDS,
                  MAX_BACKOFF_SECONDS,
                  MAX_MESSAGE_BYTES),
              ImapOAuthKeys.ALL.stream())
          .toList();

  /**
   * The poller's settings, or null when {@code imap.host} is empty (no poller).
   *
   * @throws ConfigurationException when a value is not valid
   */
  public static ImapSettings from(Settings s) {
    String host = s.string(HOST).trim();
    if (host.isEmpty()) {
      return null;
    }
    try {
      ImapSettings.Security security = ImapSettings.Security.parse(s.string(SECURITY));
      int port = s.integerOrZero(PORT);
      String trust = s.string(TRUSTSTORE).trim();
      ImapSettings password =
          new ImapSettings(
              host,
              port == 0 ? security.defaultPort() : port,
              security,
              s.string(USER),
              s.string(PASSWORD),
              s.string(FOLDER),
              s.string(PROCESSED_FOLDER),
              s.string(REJECTED_FOLDER),
              s.bool(DELETE),
              Duration.ofSeconds(s.integer(POLL_SECONDS)),
              s.bool(IDLE),
              trust.isEmpty() ? null : Path.of(trust),
              trust.isEmpty() ? null : s.string(TRUSTSTORE_PASSWORD),
              Duration.ofSeconds(s.integer(CONNECT_TIMEOUT_SECONDS)),
              Duration.ofSeconds(s.integer(READ_TIMEOUT_SECONDS)),
              Duration.ofSeconds(s.integer(MAX_BACKOFF_SECONDS)),
              (int) Math.min(ImapSettings.MAX_MESSAGE_BYTES_LIMIT, s.bytes(MAX_MESSAGE_BYTES)),
              null);
      OAuthSettings oauth = ImapOAuthKeys.from(s, password.user());
      return oauth == null ? password : password.withOAuth(oauth);
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException("imap.*: " + e.getMessage());
    }
  }
}
