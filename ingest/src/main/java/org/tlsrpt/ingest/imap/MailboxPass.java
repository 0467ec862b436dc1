package org.tlsrpt.ingest.imap;

import jakarta.mail.Flags;
import jakarta.mail.MessagingException;
import java.io.IOException;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.eclipse.angus.mail.imap.IMAPMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tlsrpt.ingest.Envelope;
import org.tlsrpt.ingest.Intake;
import org.tlsrpt.ingest.Receipt;
import org.tlsrpt.ingest.imap.ImapMailbox.Destination;
import org.tlsrpt.storage.Source;

/**
 * One pass over the folder read. Each message, in UID order, is read exactly as the server stores
 * it, handed to {@link Intake}, and moved only once intake returned: to the rejected folder when
 * intake rejected it (it is stored with its reason all the same), else to the processed folder.
 *
 * <p>A failure stays with its message: a message that cannot be read or moved is counted, left
 * where it is and tried again on later passes; after {@value #MAX_ATTEMPTS} failed attempts
 * (including connections lost while on it: some servers drop the connection over a damaged message)
 * it is moved to the rejected folder unread, and if even that fails it is left alone. Messages over
 * the size limit are moved to the rejected folder unread too. Only a lost session or unavailable
 * storage ends a pass early.
 */
final class MailboxPass {
  private static final Logger log = LoggerFactory.getLogger(MailboxPass.class);

  /** Failed attempts at a message after which it is moved to the rejected folder unread. */
  static final int MAX_ATTEMPTS = 3;

  private final ImapSettings settings;
  private final Intake intake;
  private final ImapCheckpoint checkpoint;
  private final Map<Long, Integer> attempts;
  private final ImapCounters counters;
  private final BooleanSupplier running;

  /** Set when intake answered "try later": the pass ends after that message. */
  private Receipt.TryLater deferred;

  /**
   * What a pass did.
   *
   * @param left messages left in the folder (failed, or given up on)
   * @param deferred intake's answer when the pass ended early because storage could not take a
   *     message now; null when the pass went through the folder
   */
  record Result(int left, Receipt.TryLater deferred) {}

  /**
   * @param attempts failed attempts per UID, kept by the caller across sessions
   * @param running false once the poller is stopping: the pass ends after the current message
   */
  MailboxPass(
      ImapSettings settings,
      Intake intake,
      ImapCheckpoint checkpoint,
      Map<Long, Integer> attempts,
      ImapCounters counters,
      BooleanSupplier running) {
    this.settings = settings;
    this.intake = intake;
    this.checkpoint = checkpoint;
    this.attempts = attempts;
    this.counters = counters;
    this.running = running;
  }

  /**
   * Handles every message in the folder.
   *
   * @return how many messages were left in the folder (failed, or given up on), and whether the
   *     pass ended early because intake could not store a message now (it stays in the folder)
   * @throws MessagingException the session was lost
   */
  Result run(ImapMailbox box) throws MessagingException {
    deferred = null;
    box.noop(); // learn of new messages
    long validity = box.uidValidity();
    if (validity != checkpoint.uidValidity()) {
      attempts.clear();
      if (checkpoint.adopt(validity)) {
        log.warn(
            "imap folder recreated account={} uidvalidity={}: its messages are handed in again",
            settings.account(),
            validity);
      }
    }
    int left = 0;
    for (IMAPMessage m : box.messages()) {
      if (!running.getAsBoolean()) {
        break;
      }
      if (m.isExpunged()) {
        continue;
      }
      long uid = box.uid(m);
      try {
        if (!handle(box, m, uid)) {
          left++;
        }
        if (deferred != null) {
          break; // storage cannot take it now: neither can it take the next ones
        }
      } catch (MessagingException lost) {
        attempts.merge(uid, 1, Integer::sum);
        throw lost;
      }
    }
    return new Result(left, deferred);
  }

  /** Returns true when the message left the folder. */
  private boolean handle(ImapMailbox box, IMAPMessage m, long uid) throws MessagingException {
    int failed = attempts.getOrDefault(uid, 0);
    if (failed > MAX_ATTEMPTS) {
      return false;
    }
    if (checkpoint.covers(uid) && m.isSet(Flags.Flag.DELETED)) {
      // copied (or flagged for deletion) before; only the expunge was lost
      try {
        box.expunge(m);
      } catch (MessagingException e) {
        return failed(box, uid, "cannot be expunged", e);
      }
      attempts.remove(uid);
      return true;
    }
    if (failed == MAX_ATTEMPTS) {
      return rejectUnread(box, m, uid, "failed " + failed + " times");
    }
    byte[] raw;
    try {
      raw = box.read(m, settings.maxMessageBytes());
    } catch (MessagingException | IOException e) {
      return failed(box, uid, "cannot be read", e);
    }
    if (raw == null) {
      return rejectUnread(
          box, m, uid, "is larger than " + settings.maxMessageBytes() + " bytes; it is not stored");
    }
    Receipt receipt;
    try {
      receipt =
          intake.accept(
              Envelope.mail(
                  raw,
                  Source.IMAP,
                  java.util.Map.of(
                      "mailbox",
                      settings.account() + "/" + settings.folder(),
                      "uid",
                      Long.toString(uid))));
    } catch (RuntimeException e) {
      // not stored: a failed attempt (retried, then set aside after MAX_ATTEMPTS), never a move
      log.error("imap message uid={} source=imap outcome=error: intake failed", uid, e);
      return failed(box, uid, "could not be stored", e);
    }
    if (receipt instanceof Receipt.TryLater later) {
      deferred = later; // not stored: it stays, and the pass ends
      return false;
    }
    Destination to =
        receipt instanceof Receipt.Rejected
            ? Destination.REJECTED
            : settings.deleteAfterProcessing() ? Destination.DELETED : Destination.PROCESSED;
    boolean removed = remove(box, m, uid, to);
    if (removed) {
      // a duplicate says so; a spooled report is told apart later by the loader, by its sha256
      log.info(
          "imap message uid={} source=imap outcome={} sha256={} {} to={}",
          uid,
          receipt.outcomeLabel(),
          sha256(receipt),
          describe(receipt),
          to.name().toLowerCase(Locale.ROOT));
    }
    return removed;
  }

  private boolean rejectUnread(ImapMailbox box, IMAPMessage m, long uid, String why)
      throws MessagingException {
    log.warn(
        "imap message uid={} {}: moving it to '{}' without reading it",
        uid,
        why,
        settings.rejectedFolder());
    return remove(box, m, uid, Destination.REJECTED);
  }

  private boolean remove(ImapMailbox box, IMAPMessage m, long uid, Destination to)
      throws MessagingException {
    try {
      box.remove(m, to, () -> checkpoint.advance(uid));
    } catch (MessagingException e) {
      return failed(box, uid, "cannot be moved", e);
    }
    attempts.remove(uid);
    (to == Destination.REJECTED ? counters.rejected : counters.processed).incrementAndGet();
    return true;
  }

  /** Counts a failure on one message; rethrows it when the whole session is lost instead. */
  private boolean failed(ImapMailbox box, long uid, String what, Exception e)
      throws MessagingException {
    if (box.lost(e)) {
      throw e instanceof MessagingException me
          ? me
          : new MessagingException("connection lost on message uid " + uid, e);
    }
    counters.errors.incrementAndGet();
    int n = attempts.merge(uid, 1, Integer::sum);
    if (n > MAX_ATTEMPTS) {
      log.error(
          "imap message uid={} {} ({}); leaving it in '{}' and skipping it from now on",
          uid,
          what,
          ImapMailbox.describe(e),
          settings.folder());
    } else {
      log.warn(
          "imap message uid={} {} (attempt {} of {}): {}",
          uid,
          what,
          n,
          MAX_ATTEMPTS,
          e.toString());
    }
    return false;
  }

  private static String sha256(Receipt r) {
    return switch (r) {
      case Receipt.Stored s -> s.outcome().rawSha256();
      case Receipt.Duplicate d -> d.outcome().rawSha256();
      case Receipt.Quarantined q -> q.outcome().rawSha256();
      case Receipt.Rejected x -> x.outcome().rawSha256();
      case Receipt.TryLater t -> "-";
    };
  }

  private static String describe(Receipt r) {
    return switch (r) {
      case Receipt.Stored s -> "reports=" + s.outcome().reports().size();
      case Receipt.Duplicate d -> "reports=" + d.outcome().reports().size();
      case Receipt.Quarantined q -> "reports=" + q.outcome().reports().size();
      case Receipt.Rejected x ->
          "reason=" + x.outcome().code().wire() + " detail=\"" + x.outcome().detail() + "\"";
      case Receipt.TryLater t -> "reason=\"" + t.reason() + "\"";
    };
  }
}
