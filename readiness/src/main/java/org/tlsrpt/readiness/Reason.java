package org.tlsrpt.readiness;

/**
 * Why a domain is not ready (or what an enforce domain loses), and what to do about it.
 *
 * @param kind {@code failures}, {@code silent_reporter}, {@code posture} or {@code data}
 * @param text what was found, as a sentence
 * @param remedy what to do about it
 */
public record Reason(String kind, String text, String remedy) {
  public static final String FAILURES = "failures";
  public static final String SILENT = "silent_reporter";
  public static final String POSTURE = "posture";
  public static final String DATA = "data";
}
