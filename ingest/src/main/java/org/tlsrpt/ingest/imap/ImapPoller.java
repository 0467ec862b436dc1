package org.tlsrpt.ingest.imap;

import jakarta.mail.MessagingException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tlsrpt.ingest.Intake;
import org.tlsrpt.ingest.Receipt;
import org.tlsrpt.ingest.SourceHealth;
import org.tlsrpt.ingest.imap.oauth.OAuthException;
import org.tlsrpt.storage.engine.Backoff;

/**
 * Fetches report e-mails from one IMAP folder and hands each to {@link Intake}, on a thread of its
 * own: connect and log in, handle every message in the folder, then wait for new mail (IMAP IDLE
 * when the server offers it and it is enabled, renewed every poll interval; otherwise polling at
 * the poll interval), and so on until {@link #stop}.
 *
 * <p><b>Each message is read exactly as the server stores it</b> ({@code BODY.PEEK[]}, never parsed
 * and written out again, so DKIM signatures still verify), handed to {@link Intake#accept}, and
 * <b>moved only after intake returned</b>, that is after it was durably stored: to the processed
 * folder (or deleted, when so configured), or to the rejected folder when it is not a valid report
 * (it is stored as rejected with its reason all the same). MOVE is used when the server has it,
 * else COPY, \Deleted and expunge. One bad message does not hold up the others (see {@link
 * MailboxPass}).
 *
 * <p><b>Restart safety.</b> The poller remembers the folder's UIDVALIDITY and the last UID it
 * handled in a checkpoint file in the state directory, written after each move. A crash, a stop or
 * a lost connection after a message was stored and before it was moved leaves that message in the
 * folder, ahead of the checkpoint; the next pass simply hands it in again. That is safe because
 * storing is idempotent: the store recognises the same raw input (its SHA-256) and the same report
 * (organization, report-id and date range) and keeps and counts each once. The message is then
 * moved as usual. So every report is counted once, and no message leaves the folder unstored. The
 * checkpoint itself only spares a second copy when a copy-and-delete move lost its expunge (see
 * {@link ImapCheckpoint}); a new UIDVALIDITY resets it.
 *
 * <p><b>Failures.</b> When intake answers {@link Receipt.TryLater} (storage down, a DKIM key not
 * fetchable now) nothing was stored: the pass stops, the message stays, and the poller tries again
 * after a wait that doubles from one second up to the configured maximum. A dropped connection,
 * refused login or unreachable server is retried after the same kind of wait. A successful pass
 * resets the wait. With OAuth2 ({@link ImapSettings#oauth}) a token the server refuses is renewed
 * and the login tried once more at once (see {@link ImapConnector}); a token endpoint that cannot
 * be reached or refuses, or a new token refused too, waits like any failed login.
 *
 * <p>{@link #health} says whether the mailbox works, or since when it fails and why, for {@code
 * /health}.
 *
 * <p>Counters for metrics are plain getters. Thread-safe; one poller per folder and state
 * directory.
 */
public final class ImapPoller implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ImapPoller.class);

  /** How long {@link #stop} waits for the current message before dropping the connection. */
  private static final Duration STOP_WAIT = Duration.ofSeconds(30);

  private final ImapSettings settings;
  private final Intake intake;
  private final ImapConnector connector;
  private final ImapCheckpoint checkpoint;
  private final Map<Long, Integer> attempts = new HashMap<>(); // the poller thread's only
  private final ImapCounters counters = new ImapCounters();
  private final AtomicReference<SourceHealth> health =
      new AtomicReference<>(SourceHealth.starting());
  private final Object wake = new Object();
  private volatile boolean running;
  private volatile boolean idling;
  private volatile ImapMailbox current;
  private Thread thread;
  private ScheduledExecutorService timer;

  /**
   * @param stateDir where the checkpoint file is kept (created when missing)
   * @throws IllegalArgumentException the trust store cannot be read
   * @throws IllegalStateException the checkpoint file is damaged
   */
  public ImapPoller(ImapSettings settings, Intake intake, Path stateDir) {
    this.settings = settings;
    this.intake = intake;
    this.connector = new ImapConnector(settings);
    this.checkpoint =
        ImapCheckpoint.load(
            stateDir.resolve(
                "imap-" + settings.account().replaceAll("[^A-Za-z0-9._@-]", "_") + ".checkpoint"));
  }

  /** Starts polling on a thread of its own. A poller starts once. */
  public synchronized void start() {
    if (thread != null) {
      throw new IllegalStateException("this IMAP poller was started already");
    }
    running = true;
    timer =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("tlsrpt-imap-idle-timer").factory());
    thread = Thread.ofPlatform().name("tlsrpt-imap-poller").start(this::run);
  }

  /**
   * Stops polling: the message being handled is finished (stored and moved), then the poller logs
   * out. Returns when the poller thread has ended.
   */
  public synchronized void stop() {
    if (thread == null || !running && !thread.isAlive()) {
      return;
    }
    running = false;
    synchronized (wake) {
      wake.notifyAll();
    }
    try {
      long deadline = System.nanoTime() + STOP_WAIT.toNanos();
      while (thread.isAlive() && System.nanoTime() < deadline) {
        endIdle();
        thread.join(100);
      }
      if (thread.isAlive()) {
        log.warn("imap poller account={} did not stop in time; closing its connection", account());
        ImapMailbox box = current;
        if (box != null) {
          box.close();
        }
        thread.join(STOP_WAIT.toMillis());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    timer.shutdownNow();
  }

  @Override
  public void close() {
    stop();
  }

  /** Messages handed in and moved to the processed folder (or deleted). */
  public long messagesProcessed() {
    return counters.processed.get();
  }

  /** Messages moved to the rejected folder: invalid reports, oversized or unreadable messages. */
  public long messagesRejected() {
    return counters.rejected.get();
  }

  /**
   * Failures: sessions that could not be opened or were lost, passes stopped because storage was
   * unavailable, messages that could not be read or moved.
   */
  public long errors() {
    return counters.errors.get();
  }

  /**
   * How the mailbox is doing: working since the last successful login and pass, or failing since
   * the first of a run of failed logins, lost sessions or passes stopped because storage could not
   * take a message, with the last error.
   */
  public SourceHealth health() {
    return health.get();
  }

  /** Where the poller logs in: {@code user@host:port/folder}. */
  public String mailbox() {
    return settings.account();
  }

  /** Connection attempts after the first one: each follows a failed or lost session. */
  public long reconnects() {
    return counters.reconnects.get();
  }

  private String account() {
    return settings.account();
  }

  private void run() {
    Backoff backoff = Backoff.upTo(settings.maxBackoff());
    boolean first = true;
    while (running) {
      if (!first) {
        counters.reconnects.incrementAndGet();
      }
      first = false;
      try (ImapMailbox box = ImapMailbox.open(connector.connect(), settings)) {
        current = box;
        health.updateAndGet(SourceHealth::ok);
        log.info(
            "imap connected account={} security={} login={}",
            account(),
            settings.security(),
            settings.oauth() == null ? "password" : "oauth2");
        work(box, backoff);
      } catch (MessagingException | RuntimeException e) {
        current = null;
        if (!running) {
          break;
        }
        failed(ImapMailbox.describe(e)); // before the count: who sees the count sees the error
        counters.errors.incrementAndGet();
        Duration wait = backoff.next();
        if (e instanceof RuntimeException && !(e instanceof OAuthException)) {
          log.error("imap poller account={} failed; reconnecting in {}", account(), wait, e);
        } else {
          // an OAuth2 failure names the endpoint and the provider's error, never a token
          log.warn(
              "imap session account={} failed: {}; reconnecting in {}",
              account(),
              ImapMailbox.describe(e),
              wait);
        }
        pause(wait);
      } finally {
        current = null;
      }
    }
    log.info("imap poller account={} stopped", account());
  }

  private void failed(String error) {
    Instant now = Instant.now();
    health.updateAndGet(h -> h.failed(error, now));
  }

  /** Passes over the folder and waits for mail, until stopped or the session fails. */
  private void work(ImapMailbox box, Backoff backoff) throws MessagingException {
    MailboxPass passes =
        new MailboxPass(settings, intake, checkpoint, attempts, counters, () -> running);
    while (running) {
      MailboxPass.Result pass = passes.run(box);
      if (pass.deferred() != null) {
        failed("storage cannot take messages now: " + pass.deferred().reason());
        counters.errors.incrementAndGet();
        Duration wait = backoff.next();
        log.warn(
            "imap pass stopped account={}: {}; messages stay in '{}', next try in {}",
            account(),
            pass.deferred().reason(),
            settings.folder(),
            wait);
        pause(wait);
        continue;
      }
      backoff.reset();
      health.updateAndGet(SourceHealth::ok);
      if (running) {
        waitForMail(box, pass.left());
      }
    }
  }

  /**
   * Returns at once when mail came in during the pass; else waits in IDLE (ended by the server's
   * news, the poll interval or {@link #stop}) or for the poll interval.
   */
  private void waitForMail(ImapMailbox box, int left) throws MessagingException {
    box.noop();
    if (box.messageCount() > left) {
      return;
    }
    if (!settings.idle() || !box.canIdle()) {
      pause(settings.pollInterval());
      return;
    }
    ScheduledFuture<?> renew =
        timer.schedule(this::endIdle, settings.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
    idling = true;
    try {
      if (running) {
        box.idle();
      }
    } finally {
      idling = false;
      renew.cancel(false);
    }
  }

  /** Ends a running IDLE from another thread. */
  private void endIdle() {
    ImapMailbox box = current;
    if (idling && box != null) {
      try {
        box.noop();
      } catch (MessagingException | IllegalStateException e) {
        log.debug(
            "imap idle account={} could not be ended: {}", account(), ImapMailbox.describe(e));
      }
    }
  }

  /** Sleeps, waking early when stopped. */
  private void pause(Duration d) {
    long end = System.nanoTime() + d.toNanos();
    synchronized (wake) {
      try {
        for (long rest; running && (rest = end - System.nanoTime()) > 0; ) {
          TimeUnit.NANOSECONDS.timedWait(wake, rest);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        running = false;
      }
    }
  }
}
