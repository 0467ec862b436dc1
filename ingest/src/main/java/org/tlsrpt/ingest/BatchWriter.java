package org.tlsrpt.ingest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tlsrpt.parser.rules.RejectCode;
import org.tlsrpt.storage.Incoming;
import org.tlsrpt.storage.ReportStore;
import org.tlsrpt.storage.StoreResult;
import org.tlsrpt.storage.engine.Backoff;
import org.tlsrpt.storage.engine.StorageException;

/**
 * Writes batches of inputs to the store for the spool loader and the Kafka worker, so that storage
 * trouble neither loses an input nor stalls the ones behind it (docs/adr/0009).
 *
 * <p>A failed write is told apart by the store's own answers: storage that is down or not set up
 * ({@link ReportStore#writable()} false), storage that answers but asks for time (a {@link
 * StorageException#retriable() retriable} error: timeouts, too many parts, memory), and storage
 * that answers and refuses (any other error). Each failed attempt waits with {@link Backoff} and
 * tries the batch again. Refusals are counted: after {@link BatchLimits#isolateAfterRefusals()} of
 * them the batch is split in halves, and each half that is refused again is split further, down to
 * the single inputs storage refuses on their own. What their refused writes left in the report
 * tables is removed ({@link ReportStore#discard}), and they are kept as rejected ({@code
 * unprocessable}, the refusal as the reason, the exact bytes in the raw archive) and reported in
 * {@link Written#setAside()}; every other input is stored. Storage going away or asking for time
 * during the split sends the whole batch back to waiting; the store is idempotent, so inputs
 * written already count once.
 */
public final class BatchWriter {
  private static final Logger LOG = LoggerFactory.getLogger(BatchWriter.class);

  /** Refusals of a batch before it is split, unless configured otherwise. */
  public static final int DEFAULT_ISOLATE_AFTER_REFUSALS = 3;

  /** Longest reason kept with an input set aside (a storage error can quote a long statement). */
  static final int MAX_REASON_CHARS = 4000;

  /** How a failed write is to be taken. */
  private enum Failure {
    /** The store does not answer, or its tables are not there. */
    DOWN,
    /** The store answers and asks for time. */
    BUSY,
    /** The store answers and refuses what it was given. */
    REFUSED
  }

  /** Storage went away or asked for time while a batch was being split: wait, then start over. */
  private static final class NotNow extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient Failure failure;

    NotNow(Failure failure, RuntimeException cause) {
      super(cause.getMessage(), cause);
      this.failure = failure;
    }
  }

  /**
   * A batch written: what the store made of it, and the inputs set aside (in batch order).
   *
   * @param duplicateInputs the positions in the batch written of the inputs that brought nothing
   *     new ({@link StoreResult#duplicateInputs()}), also when the batch was split
   */
  public record Written(StoreResult result, List<SetAside> setAside, Set<Integer> duplicateInputs) {
    public Written {
      setAside = List.copyOf(setAside);
      duplicateInputs = Set.copyOf(duplicateInputs);
    }

    /** Whether the input at {@code position} of the batch written brought nothing new. */
    public boolean duplicateInput(int position) {
      return duplicateInputs.contains(position);
    }

    /** Whether the input at {@code position} of the batch written was set aside. */
    public boolean setAside(int position) {
      return setAside.stream().anyMatch(a -> a.index() == position);
    }
  }

  private final ReportStore store;
  private final BatchLimits limits;
  private final String what;
  private final LongAdder failures = new LongAdder();
  private final LongAdder setAside = new LongAdder();

  /**
   * @param what what is written, for the logs (e.g. "spooled inputs")
   */
  public BatchWriter(ReportStore store, BatchLimits limits, String what) {
    this.store = store;
    this.limits = limits;
    this.what = what;
  }

  /**
   * Stores the batch, waiting and retrying while storage fails, and setting aside the inputs it
   * refuses on their own.
   *
   * @param keepTrying asked before each wait and each write after a failure: false gives the batch
   *     up (the caller is stopping, or its batch went stale); the first attempt is always made
   * @return what was written, or null when the batch was given up (nothing of it may be taken as
   *     stored, though some of it may be)
   */
  public Written write(List<Incoming> batch, BooleanSupplier keepTrying) {
    if (batch.isEmpty()) {
      return new Written(StoreResult.EMPTY, List.of(), Set.of());
    }
    Backoff backoff = new Backoff(limits.firstBackoff(), limits.maxBackoff());
    int refusals = 0;
    RuntimeException lastRefusal = null;
    while (true) {
      Failure failure;
      RuntimeException cause;
      String when = "";
      try {
        if (refusals >= limits.isolateAfterRefusals()) {
          return isolate(batch, lastRefusal, keepTrying);
        }
        StoreResult r = store.store(batch);
        return new Written(r, List.of(), r.duplicateInputs());
      } catch (NotNow e) {
        failure = e.failure;
        cause = (RuntimeException) e.getCause();
        when = " while splitting it";
      } catch (RuntimeException e) {
        failures.increment();
        failure = classify(e);
        cause = e;
        if (failure == Failure.REFUSED) {
          refusals++;
          lastRefusal = e;
          if (refusals >= limits.isolateAfterRefusals()) {
            LOG.warn(
                "storage refused a batch of {} {} {} time(s) while it answers ({}); splitting it to"
                    + " find the inputs it refuses",
                batch.size(),
                what,
                refusals,
                e.getMessage());
            continue;
          }
        }
      }
      Duration wait = backoff.next();
      LOG.warn(
          "could not write {} {}{} ({}; {}); trying again in {} ms",
          batch.size(),
          what,
          when,
          cause.getMessage(),
          switch (failure) {
            case DOWN -> "storage is unavailable";
            case BUSY -> "storage asks for time";
            case REFUSED -> "storage refused it";
          },
          wait.toMillis());
      if (!Backoff.pause(wait, keepTrying)) {
        return null;
      }
    }
  }

  private Failure classify(RuntimeException e) {
    if (!store.writable()) {
      return Failure.DOWN;
    }
    return e instanceof StorageException s && s.retriable() ? Failure.BUSY : Failure.REFUSED;
  }

  /** Splits a batch storage keeps refusing; null when given up. */
  private Written isolate(
      List<Incoming> batch, RuntimeException refusal, BooleanSupplier keepTrying) {
    List<SetAside> aside = new ArrayList<>();
    Set<Integer> duplicates = new HashSet<>();
    StoreResult r = refused(batch, 0, refusal, keepTrying, aside, duplicates);
    return r == null ? null : new Written(r, aside, duplicates);
  }

  /** Stores {@code part}, which storage just refused: in halves, or set aside when alone. */
  private StoreResult refused(
      List<Incoming> part,
      int offset,
      RuntimeException refusal,
      BooleanSupplier keepTrying,
      List<SetAside> aside,
      Set<Integer> duplicates) {
    if (part.size() == 1) {
      return setAside(part.getFirst(), offset, refusal, aside);
    }
    int half = part.size() / 2;
    StoreResult first = attempt(part.subList(0, half), offset, keepTrying, aside, duplicates);
    if (first == null) {
      return null;
    }
    StoreResult second =
        attempt(part.subList(half, part.size()), offset + half, keepTrying, aside, duplicates);
    return second == null ? null : first.plus(second);
  }

  private StoreResult attempt(
      List<Incoming> part,
      int offset,
      BooleanSupplier keepTrying,
      List<SetAside> aside,
      Set<Integer> duplicates) {
    if (!keepTrying.getAsBoolean()) {
      return null;
    }
    try {
      StoreResult r = store.store(part);
      r.duplicateInputs().forEach(i -> duplicates.add(offset + i));
      return r;
    } catch (RuntimeException e) {
      failures.increment();
      Failure f = classify(e);
      if (f != Failure.REFUSED) {
        throw new NotNow(f, e);
      }
      return refused(part, offset, e, keepTrying, aside, duplicates);
    }
  }

  private StoreResult setAside(
      Incoming in, int index, RuntimeException refusal, List<SetAside> aside) {
    String reason = "storage refused this input on its own: " + refusal.getMessage();
    if (reason.length() > MAX_REASON_CHARS) {
      reason = reason.substring(0, MAX_REASON_CHARS) + "...";
    }
    discard(in);
    Incoming kept = in.asRejected(RejectCode.UNPROCESSABLE, reason);
    StoreResult r;
    boolean stored;
    try {
      r = store.store(List.of(kept));
      stored = true;
    } catch (RuntimeException again) {
      failures.increment();
      Failure f = classify(again);
      if (f != Failure.REFUSED) {
        throw new NotNow(f, again);
      }
      r = StoreResult.EMPTY;
      stored = false;
    }
    setAside.increment();
    aside.add(new SetAside(index, kept, reason, stored));
    LOG.warn(
        "input sha256={} source={} outcome=rejected code={}{}: {}",
        in.outcome().rawSha256(),
        in.source().wire(),
        RejectCode.UNPROCESSABLE.wire(),
        stored ? "" : " (storage refused to keep it as rejected too)",
        reason);
    return r;
  }

  /** Removes what the refused writes of {@code in} left behind, so that none of it counts. */
  private void discard(Incoming in) {
    try {
      store.discard(in);
    } catch (RuntimeException e) {
      failures.increment();
      Failure f = classify(e);
      if (f != Failure.REFUSED) {
        throw new NotNow(f, e);
      }
      LOG.warn(
          "input sha256={}: could not remove the rows its refused writes may have left ({}); its"
              + " reports may count in the daily summary",
          in.outcome().rawSha256(),
          e.getMessage());
    }
  }

  /** Failed attempts to write so far (each retried, split or set aside). */
  public long failures() {
    return failures.sum();
  }

  /** Inputs set aside so far because storage refused them on their own. */
  public long setAside() {
    return setAside.sum();
  }
}
