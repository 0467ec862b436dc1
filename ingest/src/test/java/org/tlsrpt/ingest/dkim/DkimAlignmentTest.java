package org.tlsrpt.ingest.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** RFC 8460 §3: the signing domain is the reporting domain or a parent domain of it. */
class DkimAlignmentTest {
  private static final Set<String> REPORTING =
      Set.of("mail.sender.example.com", "company-x.example");

  @Test
  void alignsTheReportingDomainItselfAndItsParents() {
    assertThat(DomainAlignment.aligned("mail.sender.example.com", REPORTING)).isTrue();
    assertThat(DomainAlignment.aligned("sender.example.com", REPORTING)).isTrue();
    assertThat(DomainAlignment.aligned("example.com", REPORTING)).isTrue();
    assertThat(DomainAlignment.aligned("company-x.example", REPORTING)).isTrue();
  }

  @Test
  void ignoresCaseAndAFinalDot() {
    assertThat(DomainAlignment.aligned("Sender.Example.COM.", REPORTING)).isTrue();
  }

  @Test
  void doesNotAlignSiblingsChildrenOrLookAlikes() {
    assertThat(DomainAlignment.aligned("other.example.com", REPORTING)).isFalse();
    assertThat(DomainAlignment.aligned("sub.mail.sender.example.com", REPORTING)).isFalse();
    assertThat(DomainAlignment.aligned("ender.example.com", REPORTING)).isFalse();
    assertThat(DomainAlignment.aligned("x-company-x.example", REPORTING)).isFalse();
  }

  @Test
  void neverAlignsATopLevelDomainOrNothing() {
    assertThat(DomainAlignment.aligned("com", REPORTING)).isFalse();
    assertThat(DomainAlignment.aligned("example", REPORTING)).isFalse();
    assertThat(DomainAlignment.aligned(".com", REPORTING)).isFalse();
    assertThat(DomainAlignment.aligned("", REPORTING)).isFalse();
    assertThat(DomainAlignment.aligned(null, REPORTING)).isFalse();
    assertThat(DomainAlignment.aligned("example.com", Set.of())).isFalse();
  }
}
