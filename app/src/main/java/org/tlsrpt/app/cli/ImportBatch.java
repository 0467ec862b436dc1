package org.tlsrpt.app.cli;

import java.util.List;
import org.tlsrpt.storage.Incoming;

/** Inputs read together by the reader thread, how many files it has read, or why it stopped. */
record ImportBatch(List<Incoming> inputs, int filesRead, Throwable failure) {}
