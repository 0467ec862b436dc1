package org.tlsrpt.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * The most Java heap in use at any one moment while it listens: the heap is fullest just before a
 * collection, so it adds up every pool's use before each collection (as the collector reports it)
 * and keeps the largest total. Summing each pool's own peak instead, as {@code
 * MemoryPoolMXBean.getPeakUsage} invites, adds peaks of different moments and can exceed the
 * maximum heap.
 */
final class HeapPeak implements AutoCloseable {
  private final AtomicLong peak = new AtomicLong();
  private final List<NotificationEmitter> emitters = new ArrayList<>();
  private final NotificationListener listener = this::collected;
  private final java.util.Set<String> heapPools = new java.util.HashSet<>();

  HeapPeak() {
    for (var pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == java.lang.management.MemoryType.HEAP) {
        heapPools.add(pool.getName());
      }
    }
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc instanceof NotificationEmitter e) {
        e.addNotificationListener(listener, null, null);
        emitters.add(e);
      }
    }
    now();
  }

  private void collected(Notification n, Object handback) {
    if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
      return;
    }
    GarbageCollectionNotificationInfo info =
        GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
    long before = 0;
    for (var pool : info.getGcInfo().getMemoryUsageBeforeGc().entrySet()) {
      if (heapPools.contains(pool.getKey())) {
        before += pool.getValue().getUsed();
      }
    }
    peak.accumulateAndGet(before, Math::max);
  }

  private void now() {
    long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    peak.accumulateAndGet(used, Math::max);
  }

  /** The peak so far, in bytes. */
  long peak() {
    now();
    return peak.get();
  }

  @Override
  public void close() {
    for (NotificationEmitter e : emitters) {
      try {
        e.removeNotificationListener(listener);
      } catch (ListenerNotFoundException gone) {
        // nothing to remove
      }
    }
  }
}
