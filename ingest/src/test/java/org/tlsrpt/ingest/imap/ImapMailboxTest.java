package org.tlsrpt.ingest.imap;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.FolderClosedException;
import jakarta.mail.MessagingException;
import java.io.IOException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

class ImapMailboxTest {
  @Test
  void describesAFailureChainInOneLineWithoutRepeats() {
    SSLHandshakeException tls = new SSLHandshakeException("PKIX path building failed");
    MessagingException wrapped = new MessagingException("PKIX path building failed", tls);
    assertThat(ImapMailbox.describe(wrapped))
        .isEqualTo("MessagingException: PKIX path building failed");

    MessagingException lost =
        new MessagingException(
            "connection lost on message uid 2",
            new IOException("read\nfailed", new FolderClosedException(null)));
    assertThat(ImapMailbox.describe(lost))
        .isEqualTo(
            "MessagingException: connection lost on message uid 2 <- IOException: read failed");
  }
}
