package org.tlsrpt.dashboards;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What each panel shows over the crafted data of {@link TlsrptFixture} (variables at All, the
 * fixture's range), by "dashboard uid / panel title": the checks {@link DashboardQueriesTest} runs.
 */
final class PanelFigures {
  static final String DEC9 = "2026-12-09 00:00:00";
  static final String DEC8 = "2026-12-08 00:00:00";
  static final String FAILED = "Failed sessions";

  private final Map<String, Consumer<QueryRows>> byPanel = new LinkedHashMap<>();

  private PanelFigures() {}

  static Map<String, Consumer<QueryRows>> all() {
    PanelFigures f = new PanelFigures();
    SummaryPanelFigures.addTo(f);
    DetailPanelFigures.addTo(f);
    QualityPanelFigures.addTo(f);
    PosturePanelFigures.addTo(f);
    return Collections.unmodifiableMap(f.byPanel);
  }

  void expect(String uid, String title, Consumer<QueryRows> check) {
    if (byPanel.put(uid + " / " + title, check) != null) {
      throw new IllegalStateException("two expectations for " + uid + " / " + title);
    }
  }
}
