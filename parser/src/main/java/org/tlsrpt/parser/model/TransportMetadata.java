package org.tlsrpt.parser.model;

/**
 * What the e-mail around a report said about it (RFC 8460 §5.3): informational only, since the
 * report body is authoritative (§5.6). For a forwarded report these are the headers of the inner
 * message that carried it. Each field is {@code null} when absent.
 *
 * @param subjectReportId the Report-ID from the Subject, without angle brackets
 * @param date the Date header as sent (the RFC's own example is not valid RFC 5322, so it is not
 *     parsed)
 */
public record TransportMetadata(
    String tlsReportDomain,
    String tlsReportSubmitter,
    String subjectReportId,
    String attachmentFilename,
    String attachmentContentType,
    String from,
    String messageId,
    String date) {}
