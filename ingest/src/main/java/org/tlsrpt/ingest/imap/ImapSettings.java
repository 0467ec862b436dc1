package org.tlsrpt.ingest.imap;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import org.tlsrpt.ingest.imap.oauth.OAuthSettings;

/**
 * How {@link ImapPoller} reaches and works a mailbox. Immutable; validated when built, naming the
 * setting and the expected form.
 *
 * @param security how the connection is protected: IMAPS (TLS from the first byte), STARTTLS
 *     (required: the connection fails rather than going on in clear text) or plain
 * @param folder the folder read for reports (INBOX)
 * @param processedFolder where handled messages go; created when missing
 * @param rejectedFolder where messages that are not valid reports go; created when missing
 * @param deleteAfterProcessing delete handled messages instead of moving them to {@code
 *     processedFolder} (rejected messages are always moved, never deleted)
 * @param pollInterval how often the folder is checked when IDLE is off or not offered by the
 *     server; with IDLE, how often the IDLE command is renewed and the folder checked anyway
 * @param idle use IMAP IDLE (RFC 2177) when the server offers it, so new mail is handled at once
 * @param trustStore the trust store (PKCS12 or JKS) for the server's certificate, or null for the
 *     JDK's default trust
 * @param trustStorePassword its password, or null
 * @param maxBackoff the longest wait between attempts after a failure (the wait starts at one
 *     second, or at this when it is shorter, and doubles)
 * @param maxMessageBytes messages larger than this are moved to the rejected folder unread
 * @param oauth log in with SASL XOAUTH2 and tokens got as these settings say, or null to log in
 *     with {@code password}
 */
public record ImapSettings(
    String host,
    int port,
    Security security,
    String user,
    String password,
    String folder,
    String processedFolder,
    String rejectedFolder,
    boolean deleteAfterProcessing,
    Duration pollInterval,
    boolean idle,
    Path trustStore,
    String trustStorePassword,
    Duration connectTimeout,
    Duration readTimeout,
    Duration maxBackoff,
    int maxMessageBytes,
    OAuthSettings oauth) {

  /** The largest value {@code maxMessageBytes} may take (1 GiB): a message is read into memory. */
  public static final int MAX_MESSAGE_BYTES_LIMIT = 1 << 30;

  /** How the connection to the server is protected. */
  public enum Security {
    /** TLS from the first byte (port 993). */
    IMAPS,
    /** Clear-text connection upgraded with STARTTLS, which must succeed (port 143). */
    STARTTLS,
    /** No TLS at all: for loopback or a trusted network only (port 143). */
    PLAIN;

    public static Security parse(String s) {
      return switch (s.trim().toLowerCase(Locale.ROOT)) {
        case "imaps" -> IMAPS;
        case "starttls" -> STARTTLS;
        case "plain" -> PLAIN;
        default ->
            throw new IllegalArgumentException(
                "IMAP security is imaps, starttls or plain, not '" + s + "'");
      };
    }

    /** The usual port for this kind of connection. */
    public int defaultPort() {
      return this == IMAPS ? 993 : 143;
    }
  }

  public ImapSettings {
    requireText("host", host);
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("IMAP port must be 1 to 65535, got " + port);
    }
    Objects.requireNonNull(security, "security");
    requireText("user", user);
    Objects.requireNonNull(password, "IMAP password");
    requireText("folder", folder);
    requireText("processed folder", processedFolder);
    requireText("rejected folder", rejectedFolder);
    if (folder.equals(processedFolder) || folder.equals(rejectedFolder)) {
      throw new IllegalArgumentException(
          "the IMAP processed and rejected folders must differ from the folder read ('"
              + folder
              + "')");
    }
    positive("poll interval", pollInterval);
    positive("connect timeout", connectTimeout);
    positive("read timeout", readTimeout);
    positive("max backoff", maxBackoff);
    if (maxMessageBytes <= 0 || maxMessageBytes > MAX_MESSAGE_BYTES_LIMIT) {
      throw new IllegalArgumentException(
          "IMAP max message bytes must be 1 to "
              + MAX_MESSAGE_BYTES_LIMIT
              + ", got "
              + maxMessageBytes);
    }
  }

  /**
   * Settings with every default: the usual port for {@code security}, INBOX read, {@code processed}
   * and {@code rejected} folders, nothing deleted, IDLE on, a 5-minute poll interval, the JDK's
   * trust, 30 s connect and 5 min read timeouts, backoff up to 5 min, messages up to 32 MiB.
   */
  public static ImapSettings defaults(Security security, String host, String user, String pw) {
    return new ImapSettings(
        host,
        security.defaultPort(),
        security,
        user,
        pw,
        "INBOX",
        "processed",
        "rejected",
        false,
        Duration.ofMinutes(5),
        true,
        null,
        null,
        Duration.ofSeconds(30),
        Duration.ofMinutes(5),
        Duration.ofMinutes(5),
        32 * 1024 * 1024,
        null);
  }

  /** These settings, logging in with OAuth2 tokens got as {@code oauth} says. */
  public ImapSettings withOAuth(OAuthSettings oauth) {
    return new ImapSettings(
        host,
        port,
        security,
        user,
        "",
        folder,
        processedFolder,
        rejectedFolder,
        deleteAfterProcessing,
        pollInterval,
        idle,
        trustStore,
        trustStorePassword,
        connectTimeout,
        readTimeout,
        maxBackoff,
        maxMessageBytes,
        Objects.requireNonNull(oauth, "oauth"));
  }

  /** Where the poller logs in, for messages and file names: {@code user@host:port/folder}. */
  public String account() {
    return user + "@" + host + ":" + port + "/" + folder;
  }

  /** Keeps the passwords out of logs. */
  @Override
  public String toString() {
    return "ImapSettings["
        + account()
        + ", "
        + security.name().toLowerCase(Locale.ROOT)
        + (oauth == null ? ", password" : ", oauth2 " + oauth.grant())
        + "]";
  }

  private static void requireText(String name, String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("IMAP " + name + " must not be empty");
    }
  }

  private static void positive(String name, Duration d) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException("IMAP " + name + " must be a positive duration, got " + d);
    }
  }
}
