/** TLS contexts of the listeners and clients, from key and trust stores. */
package org.tlsrpt.ingest.tls;
