/**
 * The store: {@link org.tlsrpt.storage.ReportStore} writes reports idempotently, the daily summary
 * and the dashboard queries read them. Every SQL statement of tlsrpt lives in this module: the
 * features above call small repositories that take and return records ({@link
 * org.tlsrpt.storage.AlertHistory}, {@link org.tlsrpt.storage.AlertRuleQueries}, {@link
 * org.tlsrpt.storage.PostureHistory}, {@link org.tlsrpt.storage.ReportedStsPolicies}, {@link
 * org.tlsrpt.storage.ReportCounts}), and app's SqlOnlyInStorageTest keeps it so.
 */
package org.tlsrpt.storage;
