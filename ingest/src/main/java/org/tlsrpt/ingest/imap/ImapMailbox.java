package org.tlsrpt.ingest.imap;

import jakarta.mail.FetchProfile;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.FolderClosedException;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.StoreClosedException;
import jakarta.mail.UIDFolder;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.angus.mail.iap.ConnectionException;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPMessage;
import org.eclipse.angus.mail.imap.IMAPStore;

/**
 * One logged-in session on the mailbox: the folder read, open read-write, and the processed and
 * rejected folders (created when missing). It reads, moves and expunges single messages and knows
 * which extensions the server offers (MOVE, UIDPLUS, IDLE).
 */
final class ImapMailbox implements AutoCloseable {
  /** Where a handled message goes. */
  enum Destination {
    PROCESSED,
    REJECTED,
    /** Flagged \Deleted and expunged (only when deleting after processing is configured). */
    DELETED
  }

  private final IMAPStore store;
  private final IMAPFolder folder;
  private final IMAPFolder processed;
  private final IMAPFolder rejected;
  private final boolean move;
  private final boolean uidPlus;
  private final boolean idle;

  private ImapMailbox(IMAPStore store, IMAPFolder folder, IMAPFolder processed, IMAPFolder rejected)
      throws MessagingException {
    this.store = store;
    this.folder = folder;
    this.processed = processed;
    this.rejected = rejected;
    this.move = store.hasCapability("MOVE");
    this.uidPlus = store.hasCapability("UIDPLUS");
    this.idle = store.hasCapability("IDLE");
  }

  /** Opens the folder read on a connected store, creating the destination folders if missing. */
  static ImapMailbox open(IMAPStore store, ImapSettings s) throws MessagingException {
    try {
      IMAPFolder folder = (IMAPFolder) store.getFolder(s.folder());
      IMAPFolder processed =
          s.deleteAfterProcessing() ? null : existing(store, s.processedFolder());
      IMAPFolder rejected = existing(store, s.rejectedFolder());
      folder.open(Folder.READ_WRITE);
      return new ImapMailbox(store, folder, processed, rejected);
    } catch (MessagingException | RuntimeException e) {
      try {
        store.close();
      } catch (MessagingException ignored) {
        // the failure above is the one worth reporting
      }
      throw e;
    }
  }

  private static IMAPFolder existing(IMAPStore store, String name) throws MessagingException {
    IMAPFolder f = (IMAPFolder) store.getFolder(name);
    if (!f.exists() && !f.create(Folder.HOLDS_MESSAGES)) {
      throw new MessagingException("the IMAP folder '" + name + "' cannot be created");
    }
    return f;
  }

  long uidValidity() throws MessagingException {
    return folder.getUIDValidity();
  }

  /** The messages in the folder, in UID order, their UIDs and flags fetched in one command. */
  List<IMAPMessage> messages() throws MessagingException {
    Message[] all = folder.getMessages();
    FetchProfile fp = new FetchProfile();
    fp.add(UIDFolder.FetchProfileItem.UID);
    fp.add(FetchProfile.Item.FLAGS);
    folder.fetch(all, fp);
    List<IMAPMessage> list = new ArrayList<>(all.length);
    for (Message m : all) {
      list.add((IMAPMessage) m);
    }
    return list;
  }

  long uid(IMAPMessage m) throws MessagingException {
    return folder.getUID(m);
  }

  /**
   * The message exactly as the server stores it ({@code BODY.PEEK[]}, nothing parsed or re-encoded
   * on the way), or null when it is larger than {@code max} bytes.
   */
  byte[] read(IMAPMessage m, int max) throws MessagingException, IOException {
    try (InputStream in = m.getMimeStream()) {
      byte[] raw = in.readNBytes(max + 1);
      return raw.length > max ? null : raw;
    }
  }

  /**
   * Takes a message out of the folder read: MOVE when the server has it, else COPY, flag \Deleted
   * and expunge (UID EXPUNGE of this message with UIDPLUS; without it a plain EXPUNGE, which also
   * removes whatever else is flagged \Deleted in the folder). {@code committed} runs once the
   * message is safely in its destination, or flagged for deletion, and before the expunge that
   * finishes a copy or a deletion.
   */
  void remove(IMAPMessage m, Destination to, Runnable committed) throws MessagingException {
    Message[] one = {m};
    switch (to) {
      case PROCESSED, REJECTED -> {
        IMAPFolder target = to == Destination.PROCESSED ? processed : rejected;
        if (move) {
          folder.moveMessages(one, target);
          committed.run();
          return;
        }
        folder.copyMessages(one, target);
      }
      case DELETED -> {}
    }
    m.setFlag(Flags.Flag.DELETED, true);
    committed.run();
    expunge(m);
  }

  /** Finishes the removal of a message flagged \Deleted earlier. */
  void expunge(IMAPMessage m) throws MessagingException {
    if (uidPlus) {
      folder.expunge(new Message[] {m});
    } else {
      folder.expunge();
    }
  }

  /** Asks the server for news (NOOP); from another thread, this also ends a running IDLE. */
  void noop() throws MessagingException {
    folder.doCommand(
        p -> {
          p.noop();
          return null;
        });
  }

  int messageCount() throws MessagingException {
    return folder.getMessageCount();
  }

  boolean canIdle() {
    return idle;
  }

  /** Waits in IMAP IDLE until the server reports a change or {@link #noop} ends it. */
  void idle() throws MessagingException {
    folder.idle(true);
  }

  /**
   * Whether a failure left this session unusable (the connection dropped, the server said BYE), as
   * opposed to a failure of one command on one message.
   */
  boolean lost(Throwable failure) {
    int depth = 0;
    for (Throwable t = failure; t != null && depth++ < 8; t = t.getCause()) {
      if (t instanceof FolderClosedException
          || t instanceof StoreClosedException
          || t instanceof ConnectionException) {
        return true;
      }
    }
    return !folder.isOpen();
  }

  /**
   * A failure in one line for logs: {@code Type: message}, then each cause that adds something as
   * {@code <- Type: message} (Jakarta Mail's own {@code toString} spreads nested exceptions over
   * several lines, and causes often repeat their wrapper's message).
   */
  static String describe(Throwable failure) {
    StringBuilder b = new StringBuilder();
    int depth = 0;
    for (Throwable t = failure; t != null && depth++ < 8; t = t.getCause()) {
      String message = t.getMessage() == null ? "" : t.getMessage().strip();
      int nested = message.indexOf(";\n  nested exception is:");
      message = (nested >= 0 ? message.substring(0, nested) : message).replaceAll("\\s+", " ");
      if (t != failure && (message.isEmpty() || b.indexOf(message) >= 0)) {
        continue;
      }
      b.append(t == failure ? "" : " <- ")
          .append(t.getClass().getSimpleName())
          .append(": ")
          .append(message);
    }
    return b.toString();
  }

  /** Logs out; a session that is gone already is just dropped. */
  @Override
  public void close() {
    try {
      if (folder.isOpen()) {
        folder.close(false);
      }
    } catch (MessagingException | IllegalStateException e) {
      // the connection is gone: nothing to close
    }
    try {
      store.close();
    } catch (MessagingException e) {
      // same
    }
  }
}
