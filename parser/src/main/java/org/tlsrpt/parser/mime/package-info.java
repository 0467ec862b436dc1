/** A lean MIME walk that finds the report part of an e-mail (docs/adr/0003). */
package org.tlsrpt.parser.mime;
