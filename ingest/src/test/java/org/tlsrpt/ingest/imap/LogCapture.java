package org.tlsrpt.ingest.imap;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import java.util.stream.Collectors;
import org.slf4j.LoggerFactory;

/**
 * Everything tlsrpt logs while it is open, down to TRACE, with stack traces: to show what an
 * operator reads, and that no secret is in it.
 */
final class LogCapture implements AutoCloseable {
  private final Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
  private final Logger tlsrpt = (Logger) LoggerFactory.getLogger("org.tlsrpt");
  private final Level before = tlsrpt.getLevel();
  private final ListAppender<ILoggingEvent> events = new ListAppender<>();

  LogCapture() {
    events.start();
    root.addAppender(events);
    tlsrpt.setLevel(Level.TRACE);
  }

  /** Every line so far, each with its stack trace. */
  String text() {
    java.util.List<ILoggingEvent> copy;
    synchronized (events) { // AppenderBase appends under this lock
      copy = java.util.List.copyOf(events.list);
    }
    return copy.stream()
        .map(
            e ->
                e.getLevel()
                    + " "
                    + e.getLoggerName()
                    + " "
                    + e.getFormattedMessage()
                    + (e.getThrowableProxy() == null
                        ? ""
                        : "\n" + ThrowableProxyUtil.asString(e.getThrowableProxy())))
        .collect(Collectors.joining("\n"));
  }

  @Override
  public void close() {
    root.detachAppender(events);
    tlsrpt.setLevel(before);
    events.stop();
  }
}
