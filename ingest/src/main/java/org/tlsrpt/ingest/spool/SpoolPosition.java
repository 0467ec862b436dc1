package org.tlsrpt.ingest.spool;

/** Where a record ends: the loader's checkpoint after storing it. */
public record SpoolPosition(long segment, long offset) implements Comparable<SpoolPosition> {
  @Override
  public int compareTo(SpoolPosition o) {
    return segment != o.segment ? Long.compare(segment, o.segment) : Long.compare(offset, o.offset);
  }
}
