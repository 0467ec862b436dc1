package org.tlsrpt.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/** The test zone server answers what it was given, and NXDOMAIN for the rest of its zone. */
class DnsmasqTest {
  @TempDir Path dir;

  @Test
  void servesTheRecordsOfItsZoneAndNxdomainForOtherNames() throws Exception {
    try (Dnsmasq dns =
        new Dnsmasq(dir)
            .zone("zone.test")
            .txt("_smtp._tls.zone.test", "v=TLSRPTv1; ", "rua=mailto:\"quoted\"@zone.test")
            .mx("zone.test", "mx.zone.test", 10)
            .host("mx.zone.test", "127.0.0.9")
            .start()) {
      SimpleResolver r = new SimpleResolver(dns.address().replace(":" + dns.port(), ""));
      r.setPort(dns.port());
      r.setTimeout(Duration.ofSeconds(2));

      Message txt = r.send(query("_smtp._tls.zone.test.", Type.TXT));
      List<Record> answers = txt.getSection(Section.ANSWER);
      assertThat(answers).hasSize(1);
      // the strings as sent on the wire (getStrings() gives the presentation form, with \" escapes)
      assertThat(
              ((TXTRecord) answers.get(0))
                  .getStringsAsByteArrays().stream()
                      .map(b -> new String(b, java.nio.charset.StandardCharsets.UTF_8)))
          .containsExactly("v=TLSRPTv1; ", "rua=mailto:\"quoted\"@zone.test");

      Message mx = r.send(query("zone.test.", Type.MX));
      assertThat(mx.getSection(Section.ANSWER))
          .singleElement()
          .satisfies(
              rec -> {
                assertThat(((MXRecord) rec).getTarget()).hasToString("mx.zone.test.");
                assertThat(((MXRecord) rec).getPriority()).isEqualTo(10);
              });

      Message missing = r.send(query("nothing.zone.test.", Type.A));
      assertThat(Rcode.string(missing.getRcode())).isEqualTo("NXDOMAIN");
    }
  }

  @Test
  void isStoppedByClose() throws Exception {
    Dnsmasq dns = new Dnsmasq(dir).zone("zone.test").start();
    int port = dns.port();
    dns.close();
    // the port is free again over UDP and TCP: nothing listens any more
    try (var udp = new java.net.DatagramSocket(port, java.net.InetAddress.getLoopbackAddress());
        var tcp = new java.net.ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
      assertThat(Arrays.asList(udp.getLocalPort(), tcp.getLocalPort())).containsOnly(port);
    }
  }

  private static Message query(String name, int type) throws Exception {
    return Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN));
  }
}
