package org.tlsrpt.alerting;

import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Whether this process runs the scheduled jobs (the alert rules that need history, the posture
 * watch). A lone process always does ({@link #SOLE}); among Kafka workers, the one that holds the
 * scheduler lease does (ingest's {@code kafka.SchedulerLease}, through {@link #of}), so N workers
 * do not store N posture runs or send an alert N times.
 */
public interface JobLease {
  /** The lease of a process that is alone: always held. */
  JobLease SOLE =
      new JobLease() {
        @Override
        public boolean held() {
          return true;
        }

        @Override
        public void whenTaken(Runnable r) {
          // held from the start: there is no moment of taking it
        }
      };

  /** A lease read from {@code held}, whose takings {@code whenTaken} reports. */
  static JobLease of(BooleanSupplier held, Consumer<Runnable> whenTaken) {
    return new JobLease() {
      @Override
      public boolean held() {
        return held.getAsBoolean();
      }

      @Override
      public void whenTaken(Runnable r) {
        whenTaken.accept(r);
      }
    };
  }

  /** True while this process should run the scheduled jobs. */
  boolean held();

  /**
   * Calls {@code r} (on the lease's thread: hand work off) each time this process takes the lease,
   * so that a new holder runs the jobs at once instead of a whole interval later.
   */
  void whenTaken(Runnable r);
}
