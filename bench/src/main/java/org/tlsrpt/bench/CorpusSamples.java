package org.tlsrpt.bench;

import java.util.List;
import org.tlsrpt.app.demo.BundledSamples;
import org.tlsrpt.testkit.SampleReport;

/** The application's bundled real reports, as the synthetic corpus takes them. */
final class CorpusSamples {
  private CorpusSamples() {}

  static List<SampleReport> all() {
    return BundledSamples.all().stream().map(s -> new SampleReport(s.name(), s.bytes())).toList();
  }
}
