package org.tlsrpt.app.config;

import java.util.List;
import org.tlsrpt.alerting.AlertSettings;
import org.tlsrpt.config.Setting;
import org.tlsrpt.posture.CheckSettings;
import org.tlsrpt.posture.dane.DaneSettings;

/** Every setting tlsrpt knows, for validation and for docs/configuration.md. */
public final class AllSettings {
  private AllSettings() {}

  public static final List<Setting> ALL =
      java.util.stream.Stream.of(
              ParserSettings.ALL,
              StorageSettings.ALL,
              ServeSettings.ALL,
              PipelineSettings.ALL,
              AlertSettings.ALL,
              CheckSettings.ALL,
              DaneSettings.ALL)
          .flatMap(List::stream)
          .toList();
}
