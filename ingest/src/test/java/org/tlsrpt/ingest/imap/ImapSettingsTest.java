package org.tlsrpt.ingest.imap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.tlsrpt.ingest.imap.ImapSettings.Security;

class ImapSettingsTest {
  private static ImapSettings defaults() {
    return ImapSettings.defaults(Security.IMAPS, "imap.example.com", "reports", "s3cret");
  }

  @Test
  void defaultsFollowTheSecurity() {
    ImapSettings s = defaults();
    assertThat(s.port()).isEqualTo(993);
    assertThat(ImapSettings.defaults(Security.STARTTLS, "h", "u", "p").port()).isEqualTo(143);
    assertThat(s.folder()).isEqualTo("INBOX");
    assertThat(s.processedFolder()).isEqualTo("processed");
    assertThat(s.rejectedFolder()).isEqualTo("rejected");
    assertThat(s.deleteAfterProcessing()).isFalse();
    assertThat(s.idle()).isTrue();
    assertThat(s.trustStore()).isNull();
  }

  @Test
  void parsesTheSecurityAndNamesTheChoicesWhenItCannot() {
    assertThat(Security.parse(" STARTTLS ")).isEqualTo(Security.STARTTLS);
    assertThat(Security.parse("imaps")).isEqualTo(Security.IMAPS);
    assertThat(Security.parse("plain")).isEqualTo(Security.PLAIN);
    assertThatThrownBy(() -> Security.parse("tls"))
        .hasMessage("IMAP security is imaps, starttls or plain, not 'tls'");
  }

  @Test
  void keepsPasswordsOutOfItsStringForm() {
    assertThat(defaults().toString())
        .doesNotContain("s3cret")
        .contains("reports@imap.example.com:993/INBOX");
  }

  @Test
  void refusesADestinationThatIsTheFolderRead() {
    ImapSettings d = defaults();
    assertThatThrownBy(
            () ->
                new ImapSettings(
                    d.host(),
                    d.port(),
                    d.security(),
                    d.user(),
                    d.password(),
                    "INBOX",
                    "INBOX",
                    d.rejectedFolder(),
                    false,
                    d.pollInterval(),
                    true,
                    null,
                    null,
                    d.connectTimeout(),
                    d.readTimeout(),
                    d.maxBackoff(),
                    d.maxMessageBytes(),
                    null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must differ from the folder read");
  }

  @Test
  void refusesNonPositiveDurationsNamingTheSetting() {
    ImapSettings d = defaults();
    assertThatThrownBy(
            () ->
                new ImapSettings(
                    d.host(),
                    d.port(),
                    d.security(),
                    d.user(),
                    d.password(),
                    d.folder(),
                    d.processedFolder(),
                    d.rejectedFolder(),
                    false,
                    Duration.ZERO,
                    true,
                    null,
                    null,
                    d.connectTimeout(),
                    d.readTimeout(),
                    d.maxBackoff(),
                    d.maxMessageBytes(),
                    null))
        .hasMessage("IMAP poll interval must be a positive duration, got PT0S");
  }
}
