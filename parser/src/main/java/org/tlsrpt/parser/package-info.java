/**
 * The parser's entry point: {@link org.tlsrpt.parser.ReportParser} turns raw bytes (an e-mail, a
 * JSON file, gzip or zip) into a {@link org.tlsrpt.parser.ParseOutcome}: the reports with their
 * tolerated quirks, or a rejection with its code and reason.
 */
package org.tlsrpt.parser;
