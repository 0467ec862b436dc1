package org.tlsrpt.app.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code tlsrpt quarantine list|release}: the report e-mails kept out of the figures because their
 * DKIM check failed under {@code dkim.mode=enforce}, and releasing them once a person has checked.
 */
@Command(
    name = "quarantine",
    mixinStandardHelpOptions = true,
    description = {
      "Show the quarantined inputs (report e-mails whose DKIM check failed under dkim.mode=enforce),"
          + " or release some of them so they count."
    },
    subcommands = {QuarantineListCommand.class, QuarantineReleaseCommand.class})
public final class QuarantineCommand {
  @CommandLine.ParentCommand TlsrptCommand parent;
}
