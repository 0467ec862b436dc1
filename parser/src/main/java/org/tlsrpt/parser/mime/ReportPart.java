package org.tlsrpt.parser.mime;

/**
 * A MIME leaf that should hold a report body, with its transfer encoding already undone.
 *
 * @param body the decoded bytes, still compressed if the part was gzip or zip
 * @param contentType the part's lower-case media type, e.g. {@code application/tlsrpt+gzip}
 * @param filename the attachment's file name, or {@code null}
 * @param message the headers of the message that carried the part
 */
public record ReportPart(Slice body, String contentType, String filename, MessageHeaders message) {}
