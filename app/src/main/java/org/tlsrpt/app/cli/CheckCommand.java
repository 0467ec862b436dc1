package org.tlsrpt.app.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.tlsrpt.app.config.StorageSettings;
import org.tlsrpt.config.ConfigurationException;
import org.tlsrpt.config.Settings;
import org.tlsrpt.posture.CheckOptions;
import org.tlsrpt.posture.CheckResult;
import org.tlsrpt.posture.CheckResultWriter;
import org.tlsrpt.posture.CheckSettings;
import org.tlsrpt.posture.PostureChecker;
import org.tlsrpt.posture.ReportedPolicies;
import org.tlsrpt.posture.StoredReportedPolicies;
import org.tlsrpt.posture.dane.DaneCheck;
import org.tlsrpt.posture.dane.DaneSettings;
import org.tlsrpt.posture.dane.ReportedDaneFailures;
import org.tlsrpt.posture.dane.StoredReportedDaneFailures;
import org.tlsrpt.storage.engine.ClickHouse;
import org.tlsrpt.storage.engine.StorageException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tlsrpt check}: the MTA-STS and TLS-RPT posture of domains, as senders see it. */
@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    description = {
      "Check domains' MTA-STS, DANE and TLS-RPT set-up as a sending MTA sees it: the _mta-sts and"
          + " _smtp._tls records, the MX records and addresses, the policy file, every MX host's"
          + " STARTTLS and certificate (trust, name, days to expiry), the policy against the MX"
          + " records, DNSSEC and the TLSA records against each MX's certificate chain, and, with"
          + " a store, what senders reported.",
      "Exit status: 0 all ok, 1 warnings only, 2 any failure (or a usage error)."
    })
final class CheckCommand implements Callable<Integer> {

  @CommandLine.ParentCommand TlsrptCommand parent;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "DOMAIN", description = "Domains to check.")
  List<String> domains;

  @Option(
      names = "--format",
      defaultValue = "table",
      paramLabel = "table|json",
      description = "Output format (default: ${DEFAULT-VALUE}); json prints one object a domain.")
  String format;

  @Option(
      names = "--dns-server",
      paramLabel = "HOST:PORT|system",
      description = "DNS server to ask (check.dns_server).")
  String dnsServer;

  @Option(names = "--https-port", paramLabel = "PORT", description = "Policy host port.")
  Integer httpsPort;

  @Option(names = "--smtp-port", paramLabel = "PORT", description = "MX port.")
  Integer smtpPort;

  @Option(names = "--truststore", paramLabel = "FILE", description = "PKCS12 or JKS trust store.")
  Path trustStore;

  @Option(
      names = "--truststore-password",
      paramLabel = "PASSWORD",
      description = "Its password (prefer check.truststore_password in a file).")
  String trustStorePassword;

  @Option(
      names = "--timeout",
      paramLabel = "SECONDS",
      description = "Per DNS query, policy fetch or SMTP dialogue.")
  Integer timeoutSeconds;

  @Option(names = "--ehlo-name", paramLabel = "NAME", description = "Name sent in EHLO.")
  String ehloName;

  @Option(
      names = "--expiry-warn-days",
      paramLabel = "DAYS",
      description = "Warn when a certificate has fewer days left.")
  Integer expiryWarnDays;

  @Option(
      names = "--dnssec-trust-anchor",
      paramLabel = "FILE",
      description =
          "DS or DNSKEY records DNSSEC validation starts from (check.dnssec_trust_anchor;"
              + " default: the root's keys).")
  Path dnssecTrustAnchor;

  @Option(
      names = "--dnssec-signature-warn-days",
      paramLabel = "DAYS",
      description = "Warn when a DNSSEC signature has fewer days left.")
  Integer dnssecSignatureWarnDays;

  @Option(names = "--no-dane", description = "Do not check DNSSEC and DANE (check.dane=false).")
  boolean noDane;

  @Option(
      names = "--now",
      paramLabel = "INSTANT",
      description =
          "Judge certificate validity at this time (ISO-8601, e.g. 2026-01-31T12:00:00Z).")
  String now;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description =
          "Also compare with the policies senders reported in the last 30 days, from this store"
              + " (the ClickHouse server when clickhouse.url is set). Skipped when not given.")
  Path dataDir;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (!format.equals("table") && !format.equals("json")) {
      err.println("tlsrpt check: --format takes table or json, not '" + format + "'");
      return CommandLine.ExitCode.USAGE;
    }
    List<String> names = new ArrayList<>();
    for (String d : domains) {
      String n = PostureChecker.normalize(d);
      if (n == null) {
        err.println("tlsrpt check: '" + d + "' is not a domain name");
        return CommandLine.ExitCode.USAGE;
      }
      names.add(n);
    }
    Clock clock = Clock.systemUTC();
    if (now != null) {
      try {
        clock = Clock.fixed(Instant.parse(now), ZoneOffset.UTC);
      } catch (DateTimeParseException e) {
        err.println(
            "tlsrpt check: --now takes an instant such as 2026-01-31T12:00:00Z, not '" + now + "'");
        return CommandLine.ExitCode.USAGE;
      }
    }
    Settings settings = parent.settings();
    CheckOptions options = withOverrides(CheckSettings.from(settings).options(clock));
    StorageSettings storage = StorageSettings.from(settings).withDataDir(dataDir);
    ClickHouse store = null;
    ReportedPolicies reports;
    ReportedDaneFailures daneReports;
    if (dataDir == null && storage.embedded()) {
      reports = ReportedPolicies.unavailable("no store given (--data-dir)");
      daneReports = ReportedDaneFailures.unavailable("no store given (--data-dir)");
    } else {
      try {
        store = storage.open();
        reports = new StoredReportedPolicies(store, storage.database());
        daneReports = new StoredReportedDaneFailures(store, storage.database());
      } catch (StorageException | ConfigurationException e) {
        reports = ReportedPolicies.unavailable("the store cannot be opened: " + e.getMessage());
        daneReports =
            ReportedDaneFailures.unavailable("the store cannot be opened: " + e.getMessage());
      }
    }
    DaneSettings configured = DaneSettings.from(settings);
    DaneSettings dane;
    try {
      dane =
          new DaneSettings(
              configured.enabled() && !noDane,
              dnssecTrustAnchor != null ? dnssecTrustAnchor : configured.trustAnchor(),
              dnssecSignatureWarnDays != null
                  ? dnssecSignatureWarnDays
                  : configured.signatureWarnDays());
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "tlsrpt check: " + e.getMessage());
    }
    try {
      PostureChecker checker;
      try {
        checker = new PostureChecker(options, reports, new DaneCheck(options, dane, daneReports));
      } catch (IllegalArgumentException e) {
        throw new ConfigurationException(e.getMessage());
      }
      int exit = 0;
      for (String d : names) {
        CheckResult r = checker.check(d);
        if (format.equals("json")) {
          out.println(CheckResultWriter.json(r));
        } else {
          CheckResultWriter.table(r, out);
          out.println();
        }
        out.flush();
        exit = Math.max(exit, r.exitCode());
      }
      return exit;
    } finally {
      if (store != null) {
        store.close();
      }
    }
  }

  private CheckOptions withOverrides(CheckOptions o) {
    try {
      return new CheckOptions(
          dnsServer != null ? dnsServer : o.dnsServer(),
          httpsPort != null ? httpsPort : o.httpsPort(),
          smtpPort != null ? smtpPort : o.smtpPort(),
          trustStore != null ? trustStore : o.trustStore(),
          trustStorePassword != null ? trustStorePassword : o.trustStorePassword(),
          timeoutSeconds != null ? Duration.ofSeconds(timeoutSeconds) : o.timeout(),
          ehloName != null ? ehloName : o.ehloName(),
          expiryWarnDays != null ? expiryWarnDays : o.expiryWarnDays(),
          o.clock(),
          o.maxPolicyBytes());
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "tlsrpt check: " + e.getMessage());
    }
  }
}
