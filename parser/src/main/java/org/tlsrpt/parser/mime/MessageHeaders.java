package org.tlsrpt.parser.mime;

/**
 * The headers of the message that carried a report part (RFC 8460 §5.3), unfolded and with RFC 2047
 * words decoded; {@code null} when absent. For a forwarded report, the inner message's headers.
 */
public record MessageHeaders(
    String tlsReportDomain,
    String tlsReportSubmitter,
    String subject,
    String from,
    String messageId,
    String date) {}
