/**
 * tlsrpt dashboards module: the Grafana provisioning under {@code src/main/grafana} (data source,
 * dashboards, alert rules and notifications; docs/dashboards.md). It has no Java code of its own;
 * its tests run the SQL of every panel and rule against the embedded ClickHouse.
 */
package org.tlsrpt.dashboards;
