package org.tlsrpt.web;

/** An answer the request itself is to blame for (400). */
final class BadRequest extends RuntimeException {
  private static final long serialVersionUID = 1L;

  BadRequest(String message) {
    super(message, null, false, false);
  }
}
