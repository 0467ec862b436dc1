package org.tlsrpt.posture;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Judges the {@code _mta-sts} TXT record (RFC 8461 §3.1) and the {@code _smtp._tls} TXT record (RFC
 * 8460 §3) from their strings, each record's strings already joined.
 */
final class DnsRecordChecks {
  private DnsRecordChecks() {}

  static final String STS_TXT = "dns.mta_sts_txt";
  static final String TLSRPT_TXT = "dns.tlsrpt_txt";

  private static final Pattern FIELD_DELIMITER = Pattern.compile("[ \\t]*;[ \\t]*");
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9]{1,32}");
  private static final Pattern EXTENSION_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,31}");
  private static final Pattern EXTENSION_VALUE = Pattern.compile("[\\x21-\\x3a\\x3c\\x3e-\\x7e]+");
  private static final Pattern MAILBOX =
      Pattern.compile("[^@\\s]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9-]+)+");

  /** The verdict on the TXT records found at {@code _mta-sts.DOMAIN}; facts carry the id. */
  static Finding stsRecord(String owner, List<String> records) {
    List<String> sts = versioned(records, "v=STSv1");
    if (sts.isEmpty()) {
      return Finding.fail(
          STS_TXT,
          owner,
          "no TXT record starting with v=STSv1 (found "
              + records.size()
              + " other TXT record"
              + (records.size() == 1 ? "" : "s")
              + "): senders see no MTA-STS policy",
          "publish one TXT record such as \"v=STSv1; id=20250101T000000\" at " + owner);
    }
    if (sts.size() > 1) {
      return Finding.fail(
          STS_TXT,
          owner,
          sts.size() + " TXT records start with v=STSv1: senders then ignore the policy",
          "keep exactly one v=STSv1 record at " + owner);
    }
    String record = sts.getFirst();
    Map<String, String> fields = new LinkedHashMap<>();
    String problem = fields(record, "v=STSv1", fields);
    if (problem == null && !fields.containsKey("id")) {
      problem = "the record has no id= field";
    }
    if (problem == null && !ID.matcher(fields.get("id")).matches()) {
      problem = "id '" + fields.get("id") + "' is not 1 to 32 letters and digits";
    }
    if (problem != null) {
      return Finding.fail(
              STS_TXT,
              owner,
              "invalid record \"" + record + "\": " + problem + "; senders ignore the policy",
              "publish \"v=STSv1; id=ID\" with an id of 1 to 32 letters and digits, e.g. a date"
                  + " such as 20250101T000000")
          .with("record", record);
    }
    return Finding.ok(
        STS_TXT,
        owner,
        "one v=STSv1 record, id " + fields.get("id"),
        Map.of("policy_id", fields.get("id")));
  }

  /** The verdict on the TXT records found at {@code _smtp._tls.DOMAIN}. */
  static Finding tlsrptRecord(String owner, List<String> records) {
    List<String> rpt = versioned(records, "v=TLSRPTv1");
    if (rpt.isEmpty()) {
      return Finding.fail(
          TLSRPT_TXT,
          owner,
          "no TXT record starting with v=TLSRPTv1: senders send no TLS reports",
          "publish \"v=TLSRPTv1; rua=mailto:tlsrpt@DOMAIN\" (or an https:// URI) at " + owner);
    }
    if (rpt.size() > 1) {
      return Finding.fail(
          TLSRPT_TXT,
          owner,
          rpt.size() + " TXT records start with v=TLSRPTv1: senders then send no reports",
          "keep exactly one v=TLSRPTv1 record at " + owner);
    }
    String record = rpt.getFirst();
    Map<String, String> fields = new LinkedHashMap<>();
    String problem = fields(record, "v=TLSRPTv1", fields);
    if (problem == null && !fields.containsKey("rua")) {
      problem = "the record has no rua= field";
    }
    List<String> uris = new ArrayList<>();
    if (problem == null) {
      for (String raw : fields.get("rua").split(",", -1)) {
        String uri = raw.strip();
        String bad = badRua(uri);
        if (bad != null) {
          problem = bad;
          break;
        }
        uris.add(uri);
      }
    }
    if (problem != null) {
      return Finding.fail(
              TLSRPT_TXT,
              owner,
              "invalid record \"" + record + "\": " + problem,
              "publish \"v=TLSRPTv1; rua=URI[,URI]\" with mailto: or https:// URIs (a comma or"
                  + " semicolon inside a URI must be %-encoded)")
          .with("record", record);
    }
    return Finding.ok(
        TLSRPT_TXT,
        owner,
        "one v=TLSRPTv1 record, reports to " + String.join(", ", uris),
        Map.of("rua", String.join(",", uris)));
  }

  private static List<String> versioned(List<String> records, String version) {
    List<String> out = new ArrayList<>();
    for (String r : records) {
      if (r.startsWith(version)
          && (r.length() == version.length()
              || r.charAt(version.length()) == ';'
              || r.charAt(version.length()) == ' '
              || r.charAt(version.length()) == '\t')) {
        out.add(r);
      }
    }
    return out;
  }

  /**
   * Splits {@code version; name=value; ...} into fields; returns what is wrong, or null. Extension
   * fields must follow the RFCs' grammar; a trailing delimiter is allowed.
   */
  private static String fields(String record, String version, Map<String, String> into) {
    String[] parts = FIELD_DELIMITER.split(record.strip(), -1);
    if (!parts[0].equals(version)) {
      return "it must start with '" + version + ";'";
    }
    for (int i = 1; i < parts.length; i++) {
      String p = parts[i];
      if (p.isEmpty() && i == parts.length - 1) {
        break; // a trailing ';'
      }
      int eq = p.indexOf('=');
      if (eq <= 0) {
        return "field '" + p + "' is not name=value";
      }
      String name = p.substring(0, eq);
      String value = p.substring(eq + 1);
      if (!EXTENSION_NAME.matcher(name).matches()) {
        return "field name '" + name + "' is not valid";
      }
      if (!name.equals("rua") && !EXTENSION_VALUE.matcher(value).matches()) {
        return "field " + name + " has an invalid value '" + value + "'";
      }
      if (into.putIfAbsent(name, value) != null) {
        return "field " + name + " appears twice";
      }
    }
    return null;
  }

  private static String badRua(String uri) {
    if (uri.isEmpty()) {
      return "rua has an empty URI";
    }
    URI u;
    try {
      u = new URI(uri);
    } catch (URISyntaxException e) {
      return "rua URI '" + uri + "' is not a valid URI (" + e.getReason() + ")";
    }
    String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
    return switch (scheme) {
      case "mailto" -> {
        String to = u.getSchemeSpecificPart();
        int q = to.indexOf('?');
        String address = q < 0 ? to : to.substring(0, q);
        yield MAILBOX.matcher(address).matches()
            ? null
            : "rua URI '" + uri + "' does not name one e-mail address";
      }
      case "https" -> u.getHost() == null ? "rua URI '" + uri + "' has no host name" : null;
      default -> "rua URI '" + uri + "' is neither mailto: nor https:";
    };
  }
}
