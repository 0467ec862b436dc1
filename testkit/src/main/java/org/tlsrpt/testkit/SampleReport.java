package org.tlsrpt.testkit;

/**
 * A real report the synthetic corpus varies: its file name and its JSON (for example the
 * application's bundled samples).
 */
public record SampleReport(String name, byte[] bytes) {}
