package org.tlsrpt.posture;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** A (possibly multi-line) SMTP reply. */
record SmtpReply(int code, List<String> lines) {
  String first() {
    return code + (lines.isEmpty() ? "" : " " + lines.getFirst());
  }

  /** Reads one reply from the server. */
  static SmtpReply read(TimedConnection c) throws IOException {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      String line = c.readLine();
      if (line == null) {
        throw new IOException("the server closed the connection");
      }
      if (line.length() < 3 || !line.substring(0, 3).chars().allMatch(Character::isDigit)) {
        throw new IOException("not an SMTP reply: '" + line + "'");
      }
      lines.add(line.length() > 4 ? line.substring(4) : "");
      if (line.length() == 3 || line.charAt(3) != '-') {
        return new SmtpReply(Integer.parseInt(line.substring(0, 3)), lines);
      }
    }
    throw new IOException("an SMTP reply of more than 100 lines");
  }
}
