package org.tlsrpt.parser.json;

/** A view of a char range; a String only when printed. */
record CharRange(char[] chars, int from, int to) {
  int length() {
    return to - from;
  }

  char charAt(int i) {
    return chars[from + i];
  }

  @Override
  public String toString() {
    return new String(chars, from, to - from);
  }
}
