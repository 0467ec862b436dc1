/**
 * The two ClickHouse engines behind one seam ({@link org.tlsrpt.storage.engine.ClickHouse}): the
 * embedded one (libchdb through the FFM API) and a server over HTTP; storage errors are classified
 * as retriable or not in one place.
 */
package org.tlsrpt.storage.engine;
