package org.tlsrpt.parser.json;

/**
 * Where a value sits in the report, e.g. {@code policies[0].failure-details[2].result-type}. Built
 * as a cheap linked chain while reading and turned into text only when a message needs it.
 */
final class Loc {
  static final Loc ROOT = new Loc(null, null, -1);

  private final Loc parent;
  private final String name;
  private final int index;

  private Loc(Loc parent, String name, int index) {
    this.parent = parent;
    this.name = name;
    this.index = index;
  }

  Loc field(String field) {
    return new Loc(this, field, -1);
  }

  Loc index(int i) {
    return new Loc(this, null, i);
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder(48);
    append(b);
    return b.toString();
  }

  private void append(StringBuilder b) {
    if (parent == null) {
      return;
    }
    parent.append(b);
    if (name != null) {
      if (b.length() > 0) {
        b.append('.');
      }
      b.append(name);
    } else {
      b.append('[').append(index).append(']');
    }
  }
}
