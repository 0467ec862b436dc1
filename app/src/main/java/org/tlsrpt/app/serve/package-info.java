/**
 * The wiring of {@code tlsrpt serve} (the store, one {@link org.tlsrpt.app.serve.Pipeline} per
 * mode, the listeners, dashboard, alerting, posture watch) and {@code tlsrpt worker} (the Kafka
 * pipeline's storing side), with their health, metrics and store API.
 */
package org.tlsrpt.app.serve;
