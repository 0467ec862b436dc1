/** gzip and zip, decompressed within the size and entry limits. */
package org.tlsrpt.parser.compress;
