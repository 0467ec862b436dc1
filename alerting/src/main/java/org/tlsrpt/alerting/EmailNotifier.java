package org.tlsrpt.alerting;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.util.Properties;
import javax.net.ssl.SSLContext;

/** Mails alerts through an SMTP submission server, with STARTTLS (required by default). */
public final class EmailNotifier implements Notifier {
  /** STARTTLS: required, optional (when offered) or off. */
  public enum StartTls {
    REQUIRED,
    OPTIONAL,
    OFF
  }

  private final Session session;
  private final String from;
  private final String to;
  private final String user;
  private final String password;

  /**
   * @param tls the TLS context for STARTTLS (its trust store), or null for the JDK's
   */
  public EmailNotifier(
      String host,
      int port,
      StartTls starttls,
      SSLContext tls,
      String user,
      String password,
      String from,
      String to) {
    Properties p = new Properties();
    p.put("mail.smtp.host", host);
    p.put("mail.smtp.port", Integer.toString(port));
    p.put("mail.smtp.connectiontimeout", "15000");
    p.put("mail.smtp.timeout", "30000");
    p.put("mail.smtp.writetimeout", "30000");
    p.put("mail.smtp.starttls.enable", Boolean.toString(starttls != StartTls.OFF));
    p.put("mail.smtp.starttls.required", Boolean.toString(starttls == StartTls.REQUIRED));
    p.put("mail.smtp.ssl.checkserveridentity", "true");
    if (tls != null) {
      p.put("mail.smtp.ssl.socketFactory", tls.getSocketFactory());
    }
    p.put("mail.smtp.auth", Boolean.toString(!user.isBlank()));
    this.session = Session.getInstance(p);
    this.from = from;
    this.to = to;
    this.user = user;
    this.password = password;
  }

  @Override
  public String name() {
    return "email";
  }

  @Override
  public void send(Alert a) throws MessagingException {
    MimeMessage m = new MimeMessage(session);
    m.setFrom(new InternetAddress(from));
    m.setRecipients(Message.RecipientType.TO, InternetAddress.parse(to));
    m.setSubject(AlertText.subject(a), "UTF-8");
    m.setText(AlertText.plain(a), "UTF-8");
    m.setHeader("X-Tlsrpt-Alert", a.rule().wire());
    if (user.isBlank()) {
      Transport.send(m);
    } else {
      Transport.send(m, user, password);
    }
  }
}
