package org.tlsrpt.dashboards;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The alerting provisioning files (rules, contact points, notification policies). */
final class AlertRuleFiles {
  private AlertRuleFiles() {}

  private static final YAMLMapper YAML = new YAMLMapper();

  /** One provisioning file, parsed. */
  record File(Path path, JsonNode yaml) {}

  /** One rule, with the group it is in. */
  record Rule(File file, JsonNode group, JsonNode json) {
    String uid() {
      return json.path("uid").asText();
    }

    String title() {
      return json.path("title").asText();
    }

    JsonNode data(String refId) {
      for (JsonNode d : json.path("data")) {
        if (d.path("refId").asText().equals(refId)) {
          return d;
        }
      }
      throw new AssertionError("rule " + uid() + " has no query or expression " + refId);
    }

    /** The queries of the rule that go to a data source (not expressions). */
    List<JsonNode> queries() {
      List<JsonNode> out = new ArrayList<>();
      for (JsonNode d : json.path("data")) {
        if (!d.path("datasourceUid").asText().equals("__expr__")) {
          out.add(d);
        }
      }
      return out;
    }

    @Override
    public String toString() {
      return "rule " + uid() + " of " + file.path().getFileName();
    }
  }

  static List<File> all() {
    List<File> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(RepoPaths.ALERTING)) {
      for (Path f : files.filter(f -> f.toString().matches(".*\\.ya?ml")).sorted().toList()) {
        try {
          out.add(new File(f, YAML.readTree(f.toFile())));
        } catch (IOException e) {
          throw new AssertionError(f + " is not valid YAML: " + e.getMessage(), e);
        }
      }
    } catch (IOException e) {
      throw new AssertionError("cannot list " + RepoPaths.ALERTING, e);
    }
    return out;
  }

  static List<Rule> rules() {
    List<Rule> out = new ArrayList<>();
    for (File f : all()) {
      for (JsonNode g : f.yaml().path("groups")) {
        for (JsonNode r : g.path("rules")) {
          out.add(new Rule(f, g, r));
        }
      }
    }
    return out;
  }

  static Rule rule(String uid) {
    return rules().stream()
        .filter(r -> r.uid().equals(uid))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no alert rule " + uid));
  }
}
