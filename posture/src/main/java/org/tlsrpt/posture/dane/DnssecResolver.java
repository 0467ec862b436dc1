package org.tlsrpt.posture.dane;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.tlsrpt.posture.CheckOptions;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Master;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;
import org.xbill.DNS.dnssec.ValidatingResolver;

/**
 * DNS queries validated with DNSSEC from a trust anchor, through dnsjava's {@link
 * ValidatingResolver} (a port of Unbound's validator) in front of the configured DNS server. Each
 * answer is secure (the AD bit), insecure (no chain of trust: DANE does not apply) or bogus (with
 * the validator's reason). One instance per check: the validator caches the keys it has proved.
 * After a query times out, later ones fail at once with the same reason.
 */
final class DnssecResolver {
  private static final String ROOT_ANCHORS = "root-anchors.ds";

  /** The verdict of DNSSEC validation on one answer. */
  enum Security {
    SECURE,
    INSECURE,
    BOGUS,
    /** No answer to judge: timeout, REFUSED, a network error. */
    FAILED
  }

  /**
   * One validated answer.
   *
   * @param records the answer's records of the asked type
   * @param signatures the RRSIGs over them
   * @param signed whether the answer carried any RRSIG at all (signed but insecure: a broken chain)
   * @param reason the validator's reason for BOGUS (and its explanation of INSECURE), or why it
   *     FAILED; may be empty
   */
  record Validated(
      Security security,
      boolean nxdomain,
      List<Record> records,
      List<RRSIGRecord> signatures,
      boolean signed,
      String reason) {
    Validated {
      records = List.copyOf(records);
      signatures = List.copyOf(signatures);
    }

    static Validated failed(String reason) {
      return new Validated(Security.FAILED, false, List.of(), List.of(), false, reason);
    }
  }

  private final Resolver head;
  private final ValidatingResolver validator;
  private final Clock clock;
  private final String description;
  private final List<Name> anchorNames;
  private String broken;
  private Boolean anchorUsable;

  /**
   * @throws IllegalArgumentException when the trust anchor file cannot be read or holds no DS or
   *     DNSKEY record
   */
  DnssecResolver(CheckOptions options, DaneSettings settings) {
    Duration timeout = options.timeout();
    if (options.resolverAddress().isPresent()) {
      SimpleResolver simple = new SimpleResolver(options.resolverAddress().get());
      simple.setTimeout(timeout);
      head = simple;
      description = "DNS server " + options.dnsServer();
    } else {
      ExtendedResolver system = new ExtendedResolver();
      system.setTimeout(timeout);
      head = system;
      description = "the system's DNS resolvers";
    }
    clock = options.clock();
    validator = new ValidatingResolver(head, clock);
    validator.setTimeout(timeout);
    byte[] anchors = anchors(settings.trustAnchor());
    anchorNames = anchorNames(anchors, settings.trustAnchor());
    try {
      validator.loadTrustAnchors(new ByteArrayInputStream(anchors));
    } catch (IOException e) {
      throw new IllegalArgumentException("the trust anchor cannot be read: " + e.getMessage(), e);
    }
  }

  /** Where answers come from, for messages. */
  String description() {
    return description;
  }

  /** The names of the trust anchors, e.g. {@code .}, for messages. */
  String anchors() {
    return String.join(", ", anchorNames.stream().map(n -> "'" + n + "'").toList());
  }

  Clock clock() {
    return clock;
  }

  Validated query(String name, int type) {
    if (broken != null) {
      return Validated.failed(broken);
    }
    Name n;
    try {
      n = Name.fromString(name.endsWith(".") ? name : name + ".");
    } catch (TextParseException e) {
      return Validated.failed("'" + name + "' is not a valid DNS name");
    }
    Message answer;
    try {
      answer = validator.send(Message.newQuery(Record.newRecord(n, type, DClass.IN)));
    } catch (IOException e) {
      broken = "no answer from " + description + ": " + e.getMessage();
      return Validated.failed(broken);
    }
    int rcode = answer.getRcode();
    String reason = reason(answer);
    List<Record> records = new ArrayList<>();
    List<RRSIGRecord> signatures = new ArrayList<>();
    boolean signed = false;
    for (int section : new int[] {Section.ANSWER, Section.AUTHORITY}) {
      for (Record r : answer.getSection(section)) {
        if (r instanceof RRSIGRecord sig) {
          signed = true;
          if (section == Section.ANSWER && sig.getTypeCovered() == type) {
            signatures.add(sig);
          }
        } else if (section == Section.ANSWER && r.getType() == type) {
          records.add(r);
        }
      }
    }
    if (rcode == Rcode.SERVFAIL) {
      return reason.isEmpty()
          ? Validated.failed("SERVFAIL from " + description)
          : new Validated(Security.BOGUS, false, records, signatures, signed, reason);
    }
    if (rcode != Rcode.NOERROR && rcode != Rcode.NXDOMAIN) {
      return Validated.failed(Rcode.string(rcode) + " from " + description);
    }
    Security security = answer.getHeader().getFlag(Flags.AD) ? Security.SECURE : Security.INSECURE;
    return new Validated(security, rcode == Rcode.NXDOMAIN, records, signatures, signed, reason);
  }

  /**
   * Whether the trust anchors' own keys validate through this DNS server. When they do not, every
   * answer looks bogus: the server does not pass DNSSEC records (or the anchor is wrong), which
   * says nothing about the domain.
   */
  boolean anchorUsable() {
    if (anchorUsable == null) {
      anchorUsable =
          anchorNames.stream()
              .anyMatch(a -> query(a.toString(), Type.DNSKEY).security() == Security.SECURE);
    }
    return anchorUsable;
  }

  /**
   * The signatures on the answer and on its signer's keys, read without validation (the CD bit), to
   * tell an expired or not yet valid signature apart from other reasons for a bogus answer.
   */
  List<RRSIGRecord> unvalidatedSignatures(String name, int type) {
    List<RRSIGRecord> out = new ArrayList<>();
    Set<Name> signers = new LinkedHashSet<>();
    for (RRSIGRecord sig : rawSignatures(name, type)) {
      out.add(sig);
      signers.add(sig.getSigner());
    }
    for (Name signer : signers) {
      out.addAll(rawSignatures(signer.toString(), Type.DNSKEY));
    }
    return out;
  }

  private List<RRSIGRecord> rawSignatures(String name, int type) {
    List<RRSIGRecord> out = new ArrayList<>();
    try {
      Message q =
          Message.newQuery(
              Record.newRecord(
                  Name.fromString(name.endsWith(".") ? name : name + "."), type, DClass.IN));
      q.getHeader().setFlag(Flags.CD);
      Message r = head.send(q);
      for (Record rec : r.getSection(Section.ANSWER)) {
        if (rec instanceof RRSIGRecord sig) {
          out.add(sig);
        }
      }
    } catch (IOException e) {
      // only a diagnosis: the validator's own reason stands
    }
    return out;
  }

  /** The validator's reason: its TXT record in the additional section, else the EDE text. */
  private static String reason(Message m) {
    for (Record r : m.getSection(Section.ADDITIONAL)) {
      if (r instanceof TXTRecord txt
          && r.getDClass() == ValidatingResolver.VALIDATION_REASON_QCLASS) {
        return String.join("", txt.getStrings());
      }
    }
    OPTRecord opt = m.getOPT();
    if (opt != null) {
      for (var o : opt.getOptions()) {
        if (o instanceof ExtendedErrorCodeOption ede && ede.getText() != null) {
          return ede.getText();
        }
      }
    }
    return "";
  }

  private static byte[] anchors(Path file) {
    try {
      if (file != null) {
        return Files.readAllBytes(file);
      }
      try (InputStream in = DnssecResolver.class.getResourceAsStream(ROOT_ANCHORS)) {
        if (in == null) {
          throw new IllegalStateException(ROOT_ANCHORS + " is missing from the tlsrpt jar");
        }
        return in.readAllBytes();
      }
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read the trust anchor " + file + ": " + e.getMessage(), e);
    }
  }

  static List<Name> anchorNames(byte[] text, Path file) {
    Set<Name> names = new LinkedHashSet<>();
    try (Master m = new Master(new ByteArrayInputStream(text), Name.root, 0)) {
      Record r;
      while ((r = m.nextRecord()) != null) {
        if (r.getType() == Type.DS || r.getType() == Type.DNSKEY) {
          names.add(r.getName());
        }
      }
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "trust anchor " + (file == null ? ROOT_ANCHORS : file) + ": " + e.getMessage(), e);
    }
    if (names.isEmpty()) {
      throw new IllegalArgumentException(
          "trust anchor "
              + (file == null ? ROOT_ANCHORS : file)
              + " holds no DS or DNSKEY record (zone-file form, e.g. '. IN DS 20326 8 2 E06D…')");
    }
    return List.copyOf(names);
  }

  /** The lower-case name without the trailing dot (the root stays '.'). */
  static String text(Name n) {
    String s = n.toString(true).toLowerCase(Locale.ROOT);
    return s.isEmpty() ? "." : s;
  }
}
