package org.tlsrpt.ingest.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tlsrpt.ingest.BatchWriter;
import org.tlsrpt.ingest.Envelope;
import org.tlsrpt.parser.ParseOutcome;
import org.tlsrpt.parser.RawInput;
import org.tlsrpt.parser.ReportParser;
import org.tlsrpt.parser.rules.RejectCode;
import org.tlsrpt.storage.Incoming;
import org.tlsrpt.storage.ReportStore;
import org.tlsrpt.storage.Source;
import org.tlsrpt.storage.StoreResult;
import org.tlsrpt.storage.engine.Backoff;

/**
 * {@code tlsrpt worker}'s engine: consumes the raw-input topic in a consumer group, parses each
 * input again (as the spool loader does), writes a batch to ClickHouse, copies rejected and
 * unprocessable inputs to the dead-letter topic, and only then commits the batch's offsets.
 *
 * <p>Two threads: the poll thread owns the consumer (poll, parse, commit) and the writer thread
 * stores one batch while the next is parsed. When the writer is busy, the poll thread pauses its
 * partitions and keeps polling, so it stays in the group while storage is down. Batches go through
 * the {@link BatchWriter} shared with the spool loader: a write that fails is retried with backoff,
 * without committing, for as long as storage is down or asks for time; a batch storage keeps
 * refusing while it answers is split down to the inputs it refuses on their own, which are kept as
 * rejected ({@code unprocessable}) and dead-lettered, so no input blocks its partition. Redelivered
 * inputs are harmless: the store is idempotent (ADR 0004).
 */
public final class KafkaWorker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaWorker.class);

  /**
   * @param maxBatch records written together at most
   * @param maxBatchBytes raw bytes written together at most
   * @param maxBackoffMillis longest wait between attempts while storage fails
   * @param isolateAfterRefusals refusals of a batch, while storage answers, before it is split to
   *     find the inputs storage refuses on their own
   */
  public record Options(
      String topic,
      String deadLetterTopic,
      String group,
      int maxBatch,
      long maxBatchBytes,
      long maxBackoffMillis,
      int isolateAfterRefusals) {
    /** With the default number of refusals before a batch is split. */
    public Options(
        String topic,
        String deadLetterTopic,
        String group,
        int maxBatch,
        long maxBatchBytes,
        long maxBackoffMillis) {
      this(
          topic,
          deadLetterTopic,
          group,
          maxBatch,
          maxBatchBytes,
          maxBackoffMillis,
          BatchWriter.DEFAULT_ISOLATE_AFTER_REFUSALS);
    }

    /** The batch writer's limits: from 1 s, doubling up to {@code maxBackoffMillis}. */
    BatchWriter.Limits limits() {
      return new BatchWriter.Limits(
          FIRST_BACKOFF, Duration.ofMillis(maxBackoffMillis), isolateAfterRefusals);
    }
  }

  /** The first wait after a failed write or dead-letter send; it doubles up to the longest. */
  private static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);

  /** One consumed record and what it became; a dead-letter code when it goes there too. */
  private record Item(
      ConsumerRecord<String, byte[]> record, Incoming incoming, String dlqCode, String dlqReason) {
    Item withDeadLetter(Incoming replacement, String code, String reason) {
      return new Item(record, replacement, code, reason);
    }
  }

  private record Batch(long epoch, List<Item> items, Map<TopicPartition, OffsetAndMetadata> ends) {}

  private record Done(long epoch, Map<TopicPartition, OffsetAndMetadata> ends, int records) {}

  private final Options options;
  private final ReportParser parser;
  private final BatchWriter batches;
  private final KafkaConsumer<String, byte[]> consumer;
  private final KafkaProducer<String, byte[]> deadLetters;
  private final ArrayBlockingQueue<Batch> handoff = new ArrayBlockingQueue<>(1);
  private final ConcurrentLinkedQueue<Done> done = new ConcurrentLinkedQueue<>();

  /** Changes at every rebalance: work of an older epoch is neither retried nor committed. */
  private final AtomicLong epoch = new AtomicLong();

  private final Thread poller;
  private final Thread writer;
  private volatile boolean running = true;

  /** Batches handed to the writer and not yet finished (stored, or given up). */
  private final java.util.concurrent.atomic.AtomicInteger inFlight =
      new java.util.concurrent.atomic.AtomicInteger();

  private final LongAdder consumed = new LongAdder();
  private final LongAdder stored = new LongAdder();
  private final LongAdder rejected = new LongAdder();
  private final LongAdder quarantined = new LongAdder();
  private final LongAdder duplicates = new LongAdder();
  private final LongAdder deadLettered = new LongAdder();
  private final LongAdder unprocessable = new LongAdder();
  private final LongAdder deadLetterFailures = new LongAdder();
  private final LongAdder commits = new LongAdder();
  private volatile long lag;
  private volatile long uncommitted;
  private volatile Set<TopicPartition> assignment = Set.of();

  // poll thread only
  private List<Item> building = new ArrayList<>();
  private Map<TopicPartition, OffsetAndMetadata> buildingEnds = new HashMap<>();
  private long buildingBytes;
  private long buildingSince;
  private Batch ready;
  private boolean paused;

  /**
   * Per partition, where to restart to deliver again everything not yet committed: the end of the
   * last commit, or the first record taken since the partitions were assigned (poll thread only).
   */
  private final Map<TopicPartition, Long> rewindTo = new HashMap<>();

  /**
   * Set by the writer when it gave up a batch of the current epoch (storage failing at shutdown, an
   * unexpected exception): later batches of that epoch must not be committed, since their offsets
   * lie past the batch given up; the poll thread starts again from {@link #rewindTo}.
   */
  private final java.util.concurrent.atomic.AtomicBoolean rewindRequested =
      new java.util.concurrent.atomic.AtomicBoolean();

  public KafkaWorker(
      KafkaClients clients, Options options, ReportParser parser, ReportStore store) {
    this.options = options;
    this.parser = parser;
    this.batches = new BatchWriter(store, options.limits(), "inputs");
    this.consumer =
        new KafkaConsumer<>(
            clients.consumer(options.group(), options.maxBatch(), options.maxBatchBytes()));
    try {
      this.deadLetters =
          new KafkaProducer<>(
              clients.deadLetterProducer(
                  "tlsrpt-worker-dead-letters",
                  Math.min(Integer.MAX_VALUE, options.maxBatchBytes() + (64 << 10))));
    } catch (RuntimeException e) {
      consumer.close();
      throw e;
    }
    this.writer = Thread.ofPlatform().name("tlsrpt-worker-writer").unstarted(this::writeLoop);
    this.poller = Thread.ofPlatform().name("tlsrpt-worker-poller").unstarted(this::pollLoop);
  }

  /** Joins the group and starts consuming. */
  public KafkaWorker start() {
    writer.start();
    poller.start();
    return this;
  }

  // ---------------------------------------------------------------- poll thread

  private void pollLoop() {
    try {
      consumer.subscribe(List.of(options.topic()), new Rebalance());
      while (running) {
        commitDone();
        if (rewindRequested.getAndSet(false)) {
          rewind();
        }
        handOff();
        ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(100));
        for (ConsumerRecord<String, byte[]> r : records) {
          add(r);
        }
        if (!building.isEmpty()
            && ready == null
            && (building.size() >= options.maxBatch()
                || buildingBytes >= options.maxBatchBytes()
                || records.isEmpty()
                || System.nanoTime() - buildingSince > TimeUnit.MILLISECONDS.toNanos(200))) {
          ready = new Batch(epoch.get(), building, buildingEnds);
          building = new ArrayList<>();
          buildingEnds = new HashMap<>();
          buildingBytes = 0;
          handOff();
        }
        updateLag();
      }
      // stopping: hand over what is parsed, let the writer finish, commit what it stored
      if (ready != null) {
        inFlight.incrementAndGet();
        if (!handoff.offer(ready, 1, TimeUnit.SECONDS)) {
          inFlight.decrementAndGet();
        }
      }
      // stopping: the writer gets a bounded time to finish; what it does not finish is not
      // committed and is delivered again
      long stopDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (writer.isAlive() && inFlight.get() > 0 && System.nanoTime() < stopDeadline) {
        writer.join(50);
      }
      commitDone();
    } catch (WakeupException e) {
      // close() while polling
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException | Error e) {
      LOG.error("the worker's consumer stopped: {}", e.toString(), e);
    } finally {
      running = false;
      try {
        consumer.close(
            org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(10)));
      } catch (RuntimeException e) {
        LOG.warn("closing the consumer: {}", e.toString());
      }
    }
  }

  private void add(ConsumerRecord<String, byte[]> r) {
    if (building.isEmpty()) {
      buildingSince = System.nanoTime();
    }
    consumed.increment();
    building.add(item(r));
    TopicPartition tp = new TopicPartition(r.topic(), r.partition());
    rewindTo.putIfAbsent(tp, r.offset());
    buildingEnds.put(tp, new OffsetAndMetadata(r.offset() + 1));
    buildingBytes += r.value() == null ? 0 : r.value().length;
    uncommitted++;
  }

  /** Parses one record; never throws. */
  private Item item(ConsumerRecord<String, byte[]> r) {
    if (r.value() == null) {
      return new Item(r, null, RejectCode.UNPROCESSABLE.wire(), "the record has no value");
    }
    try {
      Envelope in = PipelineRecord.read(r);
      ParseOutcome o = in.parse(parser);
      Incoming incoming = in.incoming(o);
      if (o instanceof ParseOutcome.Rejected rej) {
        return new Item(r, incoming, rej.code().wire(), rej.detail());
      }
      return new Item(r, incoming, null, null);
    } catch (PipelineRecord.UnreadableRecordException e) {
      return unprocessable(r, "unreadable record: " + e.getMessage());
    } catch (RuntimeException e) { // a parser bug must not stop the partition
      LOG.error("could not process record {}-{}@{}", r.topic(), r.partition(), r.offset(), e);
      return unprocessable(r, "processing failed: " + e);
    }
  }

  private Item unprocessable(ConsumerRecord<String, byte[]> r, String reason) {
    unprocessable.increment();
    return new Item(r, keptAsRejected(r, reason), RejectCode.UNPROCESSABLE.wire(), reason);
  }

  private static Incoming keptAsRejected(ConsumerRecord<String, byte[]> r, String reason) {
    return Incoming.of(
        new ParseOutcome.Rejected(RejectCode.UNPROCESSABLE, reason, new RawInput(r.value())),
        Source.KAFKA,
        java.time.Instant.ofEpochMilli(Math.max(0, r.timestamp())));
  }

  /** Gives the ready batch to the writer, or pauses consumption until the writer can take it. */
  private void handOff() {
    if (ready == null) {
      return;
    }
    inFlight.incrementAndGet();
    if (handoff.offer(ready)) {
      ready = null;
      if (paused) {
        consumer.resume(consumer.assignment());
        paused = false;
      }
    } else {
      inFlight.decrementAndGet();
      if (!paused) {
        consumer.pause(consumer.assignment());
        paused = true;
      }
    }
  }

  private void commitDone() {
    Map<TopicPartition, OffsetAndMetadata> ends = new HashMap<>();
    int records = 0;
    Done d;
    while ((d = done.poll()) != null) {
      if (d.epoch() == epoch.get()) {
        // a commit retried after a timeout is queued behind newer ones: keep the furthest offset
        d.ends().forEach((tp, o) -> ends.merge(tp, o, (a, b) -> a.offset() >= b.offset() ? a : b));
        records += d.records();
      }
    }
    if (ends.isEmpty()) {
      return;
    }
    try {
      consumer.commitSync(ends);
      ends.forEach((tp, o) -> rewindTo.put(tp, o.offset()));
      commits.increment();
      uncommitted = Math.max(0, uncommitted - records);
    } catch (org.apache.kafka.common.errors.RetriableException e) {
      // the broker did not answer in time: the same offsets are committed at the next turn
      LOG.warn("could not commit offsets now ({}); trying again", e.toString());
      done.add(new Done(epoch.get(), ends, records));
    } catch (KafkaException e) {
      // a rebalance took the partitions: the new owner stores them again, idempotently
      LOG.warn("could not commit offsets ({}); those inputs will be delivered again", e.toString());
    }
  }

  private long lastLagUpdate;

  private void updateLag() {
    long now = System.nanoTime();
    if (now - lastLagUpdate < TimeUnit.SECONDS.toNanos(1)) {
      return;
    }
    lastLagUpdate = now;
    long behind = 0;
    Set<TopicPartition> owned = consumer.assignment();
    for (TopicPartition tp : owned) {
      behind += consumer.currentLag(tp).orElse(0);
    }
    assignment = Set.copyOf(owned);
    lag = behind + uncommitted;
  }

  /** Eager rebalancing: all partitions are revoked, then positions restart from commits. */
  private final class Rebalance implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      // let the writer finish the batch in hand (if storage answers), so less is delivered twice
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (inFlight.get() > 0 && System.nanoTime() < deadline && writer.isAlive()) {
        try {
          Thread.sleep(10);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
      commitDone();
      forget();
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      forget();
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      assignment = Set.copyOf(consumer.assignment());
      if (paused) {
        consumer.resume(consumer.assignment());
        paused = false;
      }
      LOG.info("worker assigned {} partition(s): {}", partitions.size(), partitions);
    }
  }

  /** Drops all uncommitted work: it is delivered again from the committed offsets. */
  private void forget() {
    epoch.incrementAndGet();
    List<Batch> dropped = new ArrayList<>();
    handoff.drainTo(dropped);
    inFlight.addAndGet(-dropped.size());
    done.clear();
    ready = null;
    building = new ArrayList<>();
    buildingEnds = new HashMap<>();
    buildingBytes = 0;
    uncommitted = 0;
    assignment = Set.of();
    rewindTo.clear();
  }

  /**
   * The writer gave up a batch that is still current: commits what was stored before it, drops all
   * later work (a new epoch, so nothing of the old one is committed) and goes back to the first
   * uncommitted offset of every partition, so the batch given up is delivered again rather than
   * skipped by the commit of a later one.
   */
  private void rewind() {
    commitDone();
    Map<TopicPartition, Long> to = new HashMap<>(rewindTo);
    Set<TopicPartition> owned = consumer.assignment();
    forget();
    assignment = Set.copyOf(owned);
    to.forEach(
        (tp, offset) -> {
          if (owned.contains(tp)) {
            consumer.seek(tp, offset);
          }
        });
    if (paused) {
      consumer.resume(owned);
      paused = false;
    }
    LOG.warn("a batch was not stored; consuming again from the last commit: {}", to);
  }

  // ---------------------------------------------------------------- writer thread

  private void writeLoop() {
    long givenUp = -1; // an epoch with a batch given up: its later batches are not committed
    while (running || !handoff.isEmpty() || poller.isAlive()) {
      Batch b;
      try {
        b = handoff.poll(100, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (b == null) {
        if (!poller.isAlive()) {
          return;
        }
        continue;
      }
      boolean finished = false;
      try {
        if (b.epoch() != givenUp) {
          List<Item> items = write(b);
          if (items != null && sendDeadLetters(b, items)) {
            done.add(new Done(b.epoch(), b.ends(), b.items().size()));
            finished = true;
          }
        }
      } catch (RuntimeException | Error e) {
        LOG.error("the worker could not write a batch; it will be delivered again", e);
      } finally {
        if (!finished && b.epoch() != givenUp && current(b)) {
          givenUp = b.epoch();
          rewindRequested.set(true);
        }
        inFlight.decrementAndGet();
      }
    }
  }

  /** False once a rebalance made the batch stale: it is delivered again from the commits. */
  private boolean current(Batch b) {
    return b.epoch() == epoch.get();
  }

  /**
   * Stores a batch through the batch writer (retrying while storage fails, setting aside the inputs
   * it refuses on their own). Returns the items as finally stored (the ones set aside become
   * unprocessable and go to the dead-letter topic), or null when the batch was given up (rebalance
   * or shutdown).
   */
  private List<Item> write(Batch b) {
    if (!current(b)) {
      return null;
    }
    List<Item> items = b.items();
    List<Integer> at = new ArrayList<>(items.size());
    List<Incoming> incoming = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      if (items.get(i).incoming() != null) {
        at.add(i);
        incoming.add(items.get(i).incoming());
      }
    }
    BatchWriter.Written w = batches.write(incoming, () -> current(b) && running);
    if (w == null) {
      return null;
    }
    count(w.result());
    if (w.setAside().isEmpty()) {
      return items;
    }
    List<Item> out = new ArrayList<>(items);
    for (BatchWriter.SetAside s : w.setAside()) {
      int i = at.get(s.index());
      Item it = items.get(i);
      unprocessable.increment();
      if (!s.stored()) {
        LOG.error(
            "could not keep record {}-{}@{} as rejected either; it is in the dead-letter topic only",
            it.record().topic(),
            it.record().partition(),
            it.record().offset());
      }
      out.set(i, it.withDeadLetter(s.kept(), RejectCode.UNPROCESSABLE.wire(), s.reason()));
    }
    return out;
  }

  private void count(StoreResult r) {
    stored.add(r.accepted());
    duplicates.add(r.duplicates());
    quarantined.add(r.quarantined());
    rejected.add(r.rejected());
  }

  /** Copies the batch's rejected inputs to the dead-letter topic; false when given up. */
  private boolean sendDeadLetters(Batch b, List<Item> items) {
    List<Item> dlq = items.stream().filter(i -> i.dlqCode() != null).toList();
    if (dlq.isEmpty()) {
      return true;
    }
    Backoff backoff = new Backoff(FIRST_BACKOFF, Duration.ofMillis(options.maxBackoffMillis()));
    while (true) {
      if (!current(b)) {
        return false;
      }
      try {
        List<Future<RecordMetadata>> acks = new ArrayList<>(dlq.size());
        for (Item i : dlq) {
          acks.add(
              deadLetters.send(
                  PipelineRecord.deadLetter(
                      options.deadLetterTopic(), i.record(), i.dlqCode(), i.dlqReason())));
        }
        for (int n = 0; n < acks.size(); n++) {
          try {
            acks.get(n).get(30, TimeUnit.SECONDS);
          } catch (ExecutionException e) {
            if (!(e.getCause() instanceof org.apache.kafka.common.errors.RecordTooLargeException)) {
              throw e;
            }
            // retrying cannot help: copy it without its bytes (they stay in the rejected table)
            Item i = dlq.get(n);
            deadLetters
                .send(
                    PipelineRecord.deadLetterWithoutValue(
                        options.deadLetterTopic(), i.record(), i.dlqCode(), i.dlqReason()))
                .get(30, TimeUnit.SECONDS);
          }
        }
        deadLettered.add(dlq.size());
        return true;
      } catch (ExecutionException | TimeoutException | KafkaException e) {
        deadLetterFailures.increment();
        Duration wait = backoff.next();
        LOG.warn(
            "could not copy {} inputs to the dead-letter topic ({}); trying again in {} ms",
            dlq.size(),
            e.toString(),
            wait.toMillis());
        if (!sleep(b, wait)) {
          return false;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
  }

  /** Waits before a retry; false when the batch is to be given up (stale, or stopping). */
  private boolean sleep(Batch b, Duration wait) {
    if (!running) {
      return false; // stopping: not stored now, so not committed; delivered again later
    }
    return Backoff.pause(wait, () -> current(b) && running);
  }

  // ---------------------------------------------------------------- figures

  /** Records consumed (each delivery counts). */
  public long consumed() {
    return consumed.sum();
  }

  /** Reports newly stored (duplicates not included). */
  public long stored() {
    return stored.sum();
  }

  public long duplicates() {
    return duplicates.sum();
  }

  public long rejected() {
    return rejected.sum();
  }

  public long quarantined() {
    return quarantined.sum();
  }

  public long deadLettered() {
    return deadLettered.sum();
  }

  /** Records that could not be processed (unreadable, or refused alone by storage). */
  public long unprocessable() {
    return unprocessable.sum();
  }

  /** Failed attempts to write (retried, split or set aside). */
  public long storeFailures() {
    return batches.failures();
  }

  public long deadLetterFailures() {
    return deadLetterFailures.sum();
  }

  public long commits() {
    return commits.sum();
  }

  /** Records of the assigned partitions not yet stored and committed (updated every second). */
  public long lag() {
    return lag;
  }

  /** The partitions this worker holds now. */
  public Set<TopicPartition> assignment() {
    return assignment;
  }

  public boolean running() {
    return running && poller.isAlive();
  }

  /**
   * Stops consuming, stores and commits what was taken (unless storage fails: then it is delivered
   * again), leaves the group.
   */
  @Override
  public void close() {
    running = false;
    try {
      poller.join(TimeUnit.MINUTES.toMillis(1));
      if (poller.isAlive()) {
        consumer.wakeup();
        poller.join(TimeUnit.SECONDS.toMillis(15));
      }
      writer.join(TimeUnit.SECONDS.toMillis(15));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    deadLetters.close(Duration.ofSeconds(10));
  }
}
