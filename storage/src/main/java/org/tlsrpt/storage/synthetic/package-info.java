/**
 * Generated data for benchmarks: {@link org.tlsrpt.storage.synthetic.SyntheticRows} fills a new
 * store with rows shaped like stored reports, without parsing any.
 */
package org.tlsrpt.storage.synthetic;
