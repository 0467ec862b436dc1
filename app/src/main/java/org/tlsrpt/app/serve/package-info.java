/**
 * The wiring of {@code tlsrpt serve} (listeners, pipeline, store, dashboard, alerting, posture
 * watch) and {@code tlsrpt worker} (the Kafka pipeline's storing side), with their health, metrics
 * and store API.
 */
package org.tlsrpt.app.serve;
