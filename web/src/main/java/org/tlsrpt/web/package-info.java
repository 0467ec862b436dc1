/**
 * The built-in web dashboard served by {@code tlsrpt serve} and {@code tlsrpt worker}: the page and
 * its files from the jar ({@link org.tlsrpt.web.WebDashboard}) and the JSON under {@code /api/} it
 * reads ({@link org.tlsrpt.web.DashboardApi}), answered from the store's dashboard queries.
 */
package org.tlsrpt.web;
