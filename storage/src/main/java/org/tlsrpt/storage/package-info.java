/**
 * The store: {@link org.tlsrpt.storage.ReportStore} writes reports idempotently, the daily summary
 * and the dashboard queries read them. Every SQL statement of tlsrpt lives in this module.
 */
package org.tlsrpt.storage;
