/**
 * The benchmarks of {@code ./tlsrpt bench}: each prints the figures an issue asks for. Built as
 * their own jar ({@link org.tlsrpt.bench.BenchMain}); the application jar does not include them.
 */
package org.tlsrpt.bench;
