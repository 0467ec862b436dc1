/**
 * The terms every decoding stage (MIME, decompression, JSON) shares with the parser's entry point:
 * the limits it enforces ({@link org.tlsrpt.parser.rules.ParserLimits}), how it refuses input
 * ({@link org.tlsrpt.parser.rules.RejectCode}, {@link
 * org.tlsrpt.parser.rules.InputRejectedException}) and how it records a tolerated quirk ({@link
 * org.tlsrpt.parser.rules.Warning}). It sits below the stages and the entry point, so that neither
 * reaches up into the other.
 */
package org.tlsrpt.parser.rules;
