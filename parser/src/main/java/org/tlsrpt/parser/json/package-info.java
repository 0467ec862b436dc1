/** The RFC 8460 JSON, read with a streaming parser into the model, with its limits and quirks. */
package org.tlsrpt.parser.json;
