package org.tlsrpt.ingest.kafka;

import java.time.Duration;
import java.util.Map;

/**
 * A process that takes the scheduler lease and keeps it until it is killed: the other worker of
 * {@link SchedulerLeaseIT}. Prints LEADING once it holds the lease.
 */
public final class LeaseHolder {
  private LeaseHolder() {}

  public static void main(String[] args) throws Exception {
    KafkaClients clients = new KafkaClients(args[0], Map.of());
    SchedulerLease lease =
        new SchedulerLease(clients, args[1], args[2], Duration.ofMillis(Long.parseLong(args[3])));
    while (!lease.held()) {
      Thread.sleep(50);
    }
    System.out.println("LEADING");
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
