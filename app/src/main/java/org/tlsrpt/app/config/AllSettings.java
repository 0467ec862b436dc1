package org.tlsrpt.app.config;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.tlsrpt.alerting.AlertSettings;
import org.tlsrpt.config.Setting;
import org.tlsrpt.config.Settings;
import org.tlsrpt.posture.CheckSettings;
import org.tlsrpt.posture.dane.DaneSettings;
import org.tlsrpt.readiness.ReadinessSettings;

/**
 * Every settings record of {@code tlsrpt serve} and {@code tlsrpt worker}, built once at start-up
 * by {@link #from} and handed down by constructor; and {@link #ALL}, every key tlsrpt knows, for
 * validation and for docs/configuration.md.
 */
public record AllSettings(
    ParserSettings parser,
    StorageSettings storage,
    ServeSettings serve,
    PipelineSettings pipeline,
    AlertSettings alerts,
    CheckSettings check,
    DaneSettings dane,
    ReadinessSettings readiness) {

  public static final List<Setting> ALL =
      Stream.of(
              ParserSettings.ALL,
              StorageSettings.ALL,
              ServeSettings.ALL,
              PipelineSettings.ALL,
              AlertSettings.ALL,
              CheckSettings.ALL,
              DaneSettings.ALL,
              ReadinessSettings.ALL)
          .flatMap(List::stream)
          .toList();

  /**
   * Reads and checks every setting.
   *
   * @param dataDirOverride the data directory a command line gave ({@code --data-dir}), or null
   * @throws org.tlsrpt.config.ConfigurationException naming the key of a value that is not valid
   */
  public static AllSettings from(Settings s, Path dataDirOverride) {
    return new AllSettings(
        ParserSettings.from(s),
        StorageSettings.from(s).withDataDir(dataDirOverride),
        ServeSettings.from(s),
        PipelineSettings.from(s),
        AlertSettings.from(s),
        CheckSettings.from(s),
        DaneSettings.from(s),
        ReadinessSettings.from(s));
  }
}
