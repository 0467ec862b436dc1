package org.tlsrpt.readiness;

/** What the readiness of one policy domain comes to, with its wire name and its words. */
public enum Verdict {
  /** A testing domain that can move to enforce: nothing blocks it and the evidence suffices. */
  READY("ready", "ready"),
  /** A testing domain with at least one blocking reason. */
  NOT_READY("not_ready", "not ready"),
  /** A testing domain with no blocking reason but too few days, sessions or reporters. */
  NOT_ENOUGH_DATA("not_enough_data", "not enough data"),
  /** An enforce domain refusing no more than the share allowed. */
  ENFORCED("enforced", "enforced"),
  /** An enforce domain refusing more than the share allowed: testing would have been warranted. */
  ENFORCED_LOSING_MAIL("enforced_losing_mail", "enforced, losing mail");

  private final String wire;
  private final String words;

  Verdict(String wire, String words) {
    this.wire = wire;
    this.words = words;
  }

  /** The name in JSON. */
  public String wire() {
    return wire;
  }

  /** The name for people. */
  public String words() {
    return words;
  }
}
