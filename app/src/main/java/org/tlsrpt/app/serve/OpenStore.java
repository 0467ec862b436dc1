package org.tlsrpt.app.serve;

import java.time.Clock;
import org.tlsrpt.alerting.AlertEngine;
import org.tlsrpt.alerting.Alerting;
import org.tlsrpt.alerting.JobLease;
import org.tlsrpt.app.config.AllSettings;
import org.tlsrpt.app.config.StorageSettings;
import org.tlsrpt.posture.CheckOptions;
import org.tlsrpt.posture.CheckSettings;
import org.tlsrpt.posture.PostureChecker;
import org.tlsrpt.posture.StoredReportedPolicies;
import org.tlsrpt.posture.dane.DaneCheck;
import org.tlsrpt.posture.dane.StoredReportedDaneFailures;
import org.tlsrpt.posture.watch.PostureWatch;
import org.tlsrpt.readiness.Readiness;
import org.tlsrpt.readiness.ReadinessSettings;
import org.tlsrpt.storage.DashboardQueries;
import org.tlsrpt.storage.ReadinessQueries;
import org.tlsrpt.storage.ReportStore;
import org.tlsrpt.storage.Summaries;
import org.tlsrpt.storage.engine.ClickHouse;

/**
 * The store a serve or worker process keeps open, and what runs on it in a process that writes it:
 * the alerting, told of every stored batch, and the posture watch of {@code check.domains}. An
 * ingest node of the Kafka pipeline only reads a ClickHouse server (for {@code /api/summary} and
 * the dashboard), or with the embedded engine has no store at all: the worker owns it.
 */
final class OpenStore implements AutoCloseable {
  private final StorageSettings settings;
  private final ReadinessSettings readiness;
  private final ClickHouse ch;
  private final AlertEngine alerts;
  private final PostureWatch watch;
  private final Teardown parts;

  private OpenStore(
      StorageSettings settings,
      ReadinessSettings readiness,
      ClickHouse ch,
      AlertEngine alerts,
      PostureWatch watch,
      Teardown parts) {
    this.settings = settings;
    this.readiness = readiness;
    this.ch = ch;
    this.alerts = alerts;
    this.watch = watch;
    this.parts = parts;
  }

  /** The store of serve: written in the local pipeline, read (or none) in the Kafka pipeline. */
  static OpenStore forServe(AllSettings c) {
    if (!c.pipeline().kafka()) {
      return writing(c);
    }
    if (c.storage().embedded()) {
      return new OpenStore(c.storage(), c.readiness(), null, null, null, new Teardown());
    }
    Teardown parts = new Teardown();
    return new OpenStore(
        c.storage(), c.readiness(), parts.add(c.storage().open()), null, null, parts);
  }

  /** Opens the store (migrated) and starts the alerting and the posture watch on it. */
  static OpenStore writing(AllSettings c) {
    return writing(c, JobLease.SOLE);
  }

  /**
   * Opens the store (migrated) and starts the alerting and the posture watch on it, their scheduled
   * jobs running while this process holds {@code lease}.
   */
  static OpenStore writing(AllSettings c, JobLease lease) {
    Teardown parts = new Teardown();
    try {
      ClickHouse ch = parts.add(c.storage().open());
      AlertEngine alerts =
          parts.add(
              Alerting.create(
                  c.alerts(),
                  ch,
                  c.storage().database(),
                  c.serve().http().listen(),
                  Clock.systemUTC(),
                  lease));
      PostureWatch watch = parts.add(watch(c, ch, alerts, lease));
      return new OpenStore(c.storage(), c.readiness(), ch, alerts, watch, parts);
    } catch (RuntimeException | Error e) {
      parts.closeAfter(e);
      throw e;
    }
  }

  /** The posture watch of check.domains, or null when none is watched. */
  private static PostureWatch watch(
      AllSettings c, ClickHouse ch, AlertEngine alerts, JobLease lease) {
    CheckSettings check = c.check();
    if (check.domains().isEmpty()) {
      return null;
    }
    String db = c.storage().database();
    CheckOptions options = check.options(Clock.systemUTC());
    return new PostureWatch(
            check.domains(),
            new PostureChecker(
                options,
                new StoredReportedPolicies(ch, db),
                new DaneCheck(options, c.dane(), new StoredReportedDaneFailures(ch, db))),
            ch,
            db,
            alerts,
            c.alerts().dashboardLink(c.serve().http().listen()))
        .start(check.interval(), lease);
  }

  /** The report writer, whose stored batches go to the alerting. */
  ReportStore writer() {
    return new ReportStore(ch, settings.schema()).listen(alerts);
  }

  /** The store, or null when this process keeps none. */
  ClickHouse clickHouse() {
    return ch;
  }

  /** The daily summaries, or null without a store. */
  Summaries summaries() {
    return ch == null ? null : settings.summaries(ch);
  }

  /** The dashboard's queries, or null without a store. */
  DashboardQueries dashboardQueries() {
    return settings.dashboardQueries(ch);
  }

  /** The enforce readiness of the store's policy domains, or null without a store. */
  Readiness readiness() {
    return ch == null
        ? null
        : new Readiness(
            new ReadinessQueries(ch, settings.database(), summaries()),
            readiness,
            Clock.systemUTC());
  }

  /** The alerting, or null when this process does not write the store. */
  AlertEngine alerts() {
    return alerts;
  }

  /** The posture watch, or null when this process does not write the store or watches none. */
  PostureWatch watch() {
    return watch;
  }

  /** The store for people, e.g. "embedded ClickHouse in /var/lib/tlsrpt", or null. */
  String description() {
    return ch == null ? null : ch.describe();
  }

  /** Stops the posture watch and the alerting (sending what is due), then closes the store. */
  @Override
  public void close() {
    parts.close();
  }
}
