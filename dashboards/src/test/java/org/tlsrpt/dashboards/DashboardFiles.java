package org.tlsrpt.dashboards;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The dashboard JSON files Grafana provisions, and their panels, queries and variables. */
final class DashboardFiles {
  private DashboardFiles() {}

  private static final ObjectMapper JSON = new ObjectMapper();

  /** One dashboard file. */
  record Dashboard(Path file, JsonNode json) {
    String uid() {
      return json.path("uid").asText();
    }

    String title() {
      return json.path("title").asText();
    }

    /** Every panel, rows' nested panels included. */
    List<JsonNode> panels() {
      List<JsonNode> out = new ArrayList<>();
      collect(json.path("panels"), out);
      return out;
    }

    private static void collect(JsonNode panels, List<JsonNode> out) {
      for (JsonNode p : panels) {
        out.add(p);
        collect(p.path("panels"), out);
      }
    }

    /** Panels that query (everything but rows and text). */
    List<Panel> queryPanels() {
      List<Panel> out = new ArrayList<>();
      for (JsonNode p : panels()) {
        if (p.path("targets").size() > 0) {
          out.add(new Panel(this, p));
        }
      }
      return out;
    }

    JsonNode variables() {
      return json.path("templating").path("list");
    }

    List<String> variableNames() {
      List<String> names = new ArrayList<>();
      variables().forEach(v -> names.add(v.path("name").asText()));
      return names;
    }

    Panel panel(String title) {
      return queryPanels().stream()
          .filter(p -> p.title().equals(title))
          .findFirst()
          .orElseThrow(() -> new AssertionError("no panel '" + title + "' in " + uid()));
    }
  }

  /** A panel with its one SQL target. */
  record Panel(Dashboard dashboard, JsonNode json) {
    String title() {
      return json.path("title").asText();
    }

    int id() {
      return json.path("id").asInt();
    }

    String type() {
      return json.path("type").asText();
    }

    JsonNode target() {
      if (json.path("targets").size() != 1) {
        throw new AssertionError(this + " has " + json.path("targets").size() + " targets");
      }
      return json.path("targets").get(0);
    }

    String sql() {
      return target().path("rawSql").asText();
    }

    boolean timeSeries() {
      return target().path("format").asInt(-1) == 0;
    }

    String key() {
      return dashboard.uid() + " / " + title();
    }

    @Override
    public String toString() {
      return "panel '" + title() + "' (id " + id() + ") of " + dashboard.file().getFileName();
    }
  }

  /** Every *.json file under the provisioned dashboards folder, by file name. */
  static List<Dashboard> all() {
    Map<String, Dashboard> out = new LinkedHashMap<>();
    try (Stream<Path> files = Files.list(RepoPaths.DASHBOARDS)) {
      for (Path f : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
        try {
          out.put(f.getFileName().toString(), new Dashboard(f, JSON.readTree(f.toFile())));
        } catch (IOException e) {
          throw new AssertionError(f + " is not valid JSON: " + e.getMessage(), e);
        }
      }
    } catch (IOException e) {
      throw new AssertionError("cannot list " + RepoPaths.DASHBOARDS, e);
    }
    return List.copyOf(out.values());
  }

  static Dashboard byUid(String uid) {
    return all().stream()
        .filter(d -> d.uid().equals(uid))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no dashboard with uid " + uid));
  }
}
