/**
 * In-app alerting (docs/adr/0008): {@link org.tlsrpt.alerting.AlertEngine} evaluates the rules on
 * each newly stored batch (failures under an enforce-mode policy) and on a schedule (failure rate
 * above baseline, silent reporters, rejected spikes), keeps the cooldown and the history in the
 * store, and sends through the {@link org.tlsrpt.alerting.Notifier}s (webhook, e-mail). Settings:
 * {@link org.tlsrpt.alerting.AlertSettings} ({@code alerts.*}).
 */
package org.tlsrpt.alerting;
