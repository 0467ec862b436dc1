package org.tlsrpt.posture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.tlsrpt.storage.engine.ClickHouse;

/** {@link ReportedPolicies} read from the {@code policies} table of the report store. */
public final class StoredReportedPolicies implements ReportedPolicies {
  private static final Pattern DOMAIN = Pattern.compile("[a-z0-9.-]{1,253}");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ClickHouse clickHouse;
  private final String database;

  public StoredReportedPolicies(ClickHouse clickHouse, String database) {
    this.clickHouse = clickHouse;
    this.database = database;
  }

  @Override
  public List<Reported> latest(String domain, Instant since) {
    if (!DOMAIN.matcher(domain).matches()) {
      throw new IllegalArgumentException("not a domain name: '" + domain + "'");
    }
    String sql =
        "SELECT organization, argMax(policy_strings, date_end) AS strings,"
            + " toUnixTimestamp64Milli(max(date_end)) AS last FROM "
            + database
            + ".policies FINAL WHERE policy_type = 'sts' AND policy_domain = '"
            + domain
            + "' AND date_end >= fromUnixTimestamp64Milli("
            + since.toEpochMilli()
            + ", 'UTC') GROUP BY organization ORDER BY organization";
    byte[] rows = clickHouse.query(sql, "JSONEachRow");
    List<Reported> out = new ArrayList<>();
    try {
      for (String line : new String(rows, java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode n = JSON.readTree(line);
        List<String> strings = new ArrayList<>();
        n.path("strings").forEach(s -> strings.add(s.asText()));
        out.add(
            new Reported(
                n.path("organization").asText(),
                strings,
                Instant.ofEpochMilli(n.path("last").asLong())));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("unreadable answer from " + clickHouse.describe(), e);
    }
    return out;
  }
}
