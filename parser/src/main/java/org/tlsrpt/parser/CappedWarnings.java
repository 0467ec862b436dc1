package org.tlsrpt.parser;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.List;
import org.tlsrpt.parser.rules.Warning;

/**
 * The warnings of one report, at most {@value #MAX} of them: a hostile report could otherwise raise
 * one per array entry. Past the cap, one last warning says how many were left out.
 */
final class CappedWarnings extends AbstractList<Warning> {
  static final int MAX = 100;

  private final List<Warning> list = new ArrayList<>(2);
  private int suppressed;

  static CappedWarnings copyOf(List<Warning> warnings) {
    CappedWarnings c = new CappedWarnings();
    c.addAll(warnings);
    return c;
  }

  @Override
  public boolean add(Warning w) {
    if (list.size() < MAX) {
      return list.add(w);
    }
    suppressed++;
    Warning note =
        new Warning(
            "warnings_suppressed", suppressed + " more warnings about this report were left out");
    if (list.size() == MAX) {
      list.add(note);
    } else {
      list.set(MAX, note);
    }
    return true;
  }

  @Override
  public Warning get(int index) {
    return list.get(index);
  }

  @Override
  public int size() {
    return list.size();
  }
}
