package org.tlsrpt.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * The configuration as read once at start-up: a config file ({@code key = value} lines) overridden
 * by {@code TLSRPT_*} environment variables, whose {@code *_FILE} form reads the value from a file
 * (for secrets). Unknown keys in the file are an error; every value is validated where it is read,
 * and the error names the key, where it came from and the expected form.
 */
public final class Settings {
  private final Map<String, String> values;
  private final Map<String, String> origins;

  private Settings(Map<String, String> values, Map<String, String> origins) {
    this.values = Map.copyOf(values);
    this.origins = Map.copyOf(origins);
  }

  /** No file, no environment: every setting at its default. */
  public static Settings defaults() {
    return new Settings(Map.of(), Map.of());
  }

  /**
   * Reads the file (when not null) and then the environment.
   *
   * @throws ConfigurationException when the file cannot be read or names an unknown key
   */
  public static Settings load(Path file, Map<String, String> env, List<Setting> known) {
    Map<String, Setting> byKey =
        known.stream().collect(Collectors.toMap(Setting::key, s -> s, (a, b) -> a));
    Map<String, String> values = new HashMap<>();
    Map<String, String> origins = new HashMap<>();
    if (file != null) {
      Properties p = new Properties();
      try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        p.load(r);
      } catch (IOException e) {
        throw new ConfigurationException(
            "cannot read the config file " + file + ": " + e.getMessage());
      }
      for (String name : p.stringPropertyNames()) {
        String key = name.trim().toLowerCase(Locale.ROOT);
        if (!byKey.containsKey(key)) {
          throw new ConfigurationException(
              "unknown setting '"
                  + name
                  + "' in "
                  + file
                  + "; see docs/configuration.md for the keys");
        }
        values.put(key, p.getProperty(name).trim());
        origins.put(key, file.toString());
      }
    }
    for (Setting s : known) {
      String var = s.environmentVariable();
      String v = env.get(var);
      if (v != null) {
        values.put(s.key(), v.trim());
        origins.put(s.key(), "environment variable " + var);
      }
      String fileVar = env.get(var + "_FILE");
      if (fileVar != null) {
        try {
          values.put(s.key(), Files.readString(Path.of(fileVar)).trim());
          origins.put(s.key(), "file " + fileVar + " (from " + var + "_FILE)");
        } catch (IOException e) {
          throw new ConfigurationException(
              "cannot read " + fileVar + " named by " + var + "_FILE: " + e.getMessage());
        }
      }
    }
    return new Settings(values, origins);
  }

  /** The configured value, or {@code defaultValue}. */
  public String string(Setting s) {
    return values.getOrDefault(s.key(), s.defaultValue());
  }

  public int integer(Setting s) {
    long v = number(s, false);
    if (v > Integer.MAX_VALUE) {
      throw invalid(s, "a whole number up to " + Integer.MAX_VALUE);
    }
    return (int) v;
  }

  /** true or false (also yes/no, on/off, 1/0). */
  public boolean bool(Setting s) {
    return switch (string(s).trim().toLowerCase(Locale.ROOT)) {
      case "true", "yes", "on", "1" -> true;
      case "false", "no", "off", "0" -> false;
      default -> throw invalid(s, "true or false");
    };
  }

  /** A whole number that may be 0 (e.g. to turn a limit off). */
  public int integerOrZero(Setting s) {
    if (string(s).trim().equals("0")) {
      return 0;
    }
    return integer(s);
  }

  /** A TCP or UDP port, 1 to 65535. */
  public int port(Setting s) {
    int p = integer(s);
    if (p > 65535) {
      throw invalid(s, "a port 1..65535");
    }
    return p;
  }

  /** Comma-separated values, each trimmed; empty ones are left out. */
  public List<String> list(Setting s) {
    return java.util.Arrays.stream(string(s).split(","))
        .map(String::trim)
        .filter(v -> !v.isEmpty())
        .toList();
  }

  /** A password or other secret, as configured (not trimmed beyond what loading does). */
  public Secret secret(Setting s) {
    return new Secret(string(s));
  }

  /** A byte size: a whole number, optionally with a KiB/MiB/GiB suffix (k, m, g also accepted). */
  public long bytes(Setting s) {
    return number(s, true);
  }

  private long number(Setting s, boolean sizes) {
    String raw = string(s).replace("_", "").trim();
    String lower = raw.toLowerCase(Locale.ROOT);
    long factor = 1;
    if (sizes) {
      for (String[] unit :
          new String[][] {
            {"kib", "1024"},
            {"mib", "1048576"},
            {"gib", "1073741824"},
            {"k", "1024"},
            {"m", "1048576"},
            {"g", "1073741824"}
          }) {
        if (lower.endsWith(unit[0])) {
          factor = Long.parseLong(unit[1]);
          lower = lower.substring(0, lower.length() - unit[0].length()).trim();
          break;
        }
      }
    }
    try {
      long v = Math.multiplyExact(Long.parseLong(lower), factor);
      if (v <= 0) {
        throw invalid(
            s, sizes ? "a positive size such as 10485760 or 10MiB" : "a positive whole number");
      }
      return v;
    } catch (NumberFormatException | ArithmeticException e) {
      throw invalid(
          s, sizes ? "a positive size such as 10485760 or 10MiB" : "a positive whole number");
    }
  }

  /**
   * The error for a value of {@code s} that is not valid: it names the key, its environment
   * variable, the value, where the value came from and {@code expected}, the form it should take.
   */
  public ConfigurationException invalid(Setting s, String expected) {
    String origin = origins.getOrDefault(s.key(), "the default");
    return new ConfigurationException(
        "setting "
            + s.key()
            + " ("
            + s.environmentVariable()
            + ") = '"
            + string(s)
            + "' from "
            + origin
            + " is not valid: expected "
            + expected);
  }
}
