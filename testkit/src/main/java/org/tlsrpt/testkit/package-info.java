/**
 * Test fixtures for every module's tests and for the benchmarks: real servers on loopback (Kafka,
 * ClickHouse 18.16, dnsmasq, NSD) on free ports, where the embedded engine is, the synthetic report
 * corpus and a Kafka load generator. It depends on no tlsrpt module, and is never part of the
 * application jar.
 */
package org.tlsrpt.testkit;
