package org.tlsrpt.config;

/** The configuration is unusable; the message says which key and what form it should take. */
public final class ConfigurationException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ConfigurationException(String message) {
    super(message);
  }
}
