/**
 * tlsrpt dashboards module. The module layout is fixed by the architecture (see docs/adr/0001); its
 * content arrives with the issues that build it.
 */
package org.tlsrpt.dashboards;
