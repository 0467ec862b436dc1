package org.tlsrpt.storage;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Consumer;
import org.tlsrpt.storage.engine.ClickHouse;

/**
 * Reads the raw archive back: page by page for {@code tlsrpt reprocess}, the quarantine for {@code
 * tlsrpt quarantine}.
 */
public final class RawArchive {
  /** Keys are hex: checked before they are put into SQL. */
  private static final java.util.regex.Pattern HEX = java.util.regex.Pattern.compile("[0-9a-f]*");

  private static final JsonFactory JSON = new JsonFactory();

  private final ClickHouse ch;
  private final String db;

  public RawArchive(ClickHouse ch, String database) {
    this.ch = ch;
    this.db = database;
  }

  /**
   * One archived input.
   *
   * @param status accepted, rejected or quarantined
   * @param message the reason, for rejected and quarantined inputs
   */
  public record Entry(
      String sha256,
      Instant receivedAt,
      String source,
      byte[] raw,
      String status,
      String message) {}

  /** Streams every archived input, {@code pageSize} at a time, in sha256 order. */
  public long forEach(int pageSize, Consumer<List<Entry>> pages) {
    String after = "";
    long total = 0;
    while (true) {
      List<Entry> page = page(after, pageSize);
      if (page.isEmpty()) {
        return total;
      }
      total += page.size();
      pages.accept(page);
      after = page.get(page.size() - 1).sha256();
    }
  }

  /** The inputs kept in quarantine (DKIM failed under enforce), oldest first. */
  public List<Entry> quarantined() {
    return entries(
        "SELECT sha256, toUnixTimestamp64Milli(received_at) AS at, source, base64Encode(raw) AS raw,"
            + " status, message FROM "
            + db
            + ".raw_inputs FINAL WHERE status = 'quarantined' ORDER BY received_at, sha256");
  }

  /** How many inputs the archive holds. */
  public long count() {
    String out =
        new String(
            ch.query("SELECT count() FROM " + db + ".raw_inputs FINAL", "TabSeparated"),
            java.nio.charset.StandardCharsets.UTF_8);
    return Long.parseLong(out.trim());
  }

  private List<Entry> page(String after, int size) {
    if (!HEX.matcher(after).matches()) {
      throw new IllegalArgumentException("bad sha256 " + after);
    }
    return entries(
        "SELECT sha256, toUnixTimestamp64Milli(received_at) AS at, source, base64Encode(raw) AS raw,"
            + " status, message FROM "
            + db
            + ".raw_inputs FINAL WHERE sha256 > '"
            + after
            + "' ORDER BY sha256 LIMIT "
            + size);
  }

  private List<Entry> entries(String sql) {
    byte[] out = ch.query(sql, "JSONEachRow");
    List<Entry> entries = new ArrayList<>();
    try (JsonParser p = JSON.createParser(out)) {
      while (p.nextToken() == JsonToken.START_OBJECT) {
        String sha = null;
        long at = 0;
        String source = null;
        byte[] raw = null;
        String status = null;
        String message = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          p.nextToken();
          switch (name) {
            case "sha256" -> sha = p.getText();
            case "at" -> at = Long.parseLong(p.getText());
            case "source" -> source = p.getText();
            case "raw" -> raw = Base64.getDecoder().decode(p.getText());
            case "status" -> status = p.getText();
            case "message" -> message = p.getText();
            default -> p.skipChildren();
          }
        }
        entries.add(new Entry(sha, Instant.ofEpochMilli(at), source, raw, status, message));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return entries;
  }
}
