package org.tlsrpt.app;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A docker-compose.yml, parsed, with the few readings the deployment tests need. */
record ComposeFile(JsonNode root) {

  static ComposeFile read(String file) {
    return new ComposeFile(RepoFiles.yaml(file));
  }

  JsonNode services() {
    return root.path("services");
  }

  JsonNode service(String name) {
    return services().path(name);
  }

  List<String> serviceNames() {
    return names(services());
  }

  /** A service's environment, from the map or the list form, values as written. */
  Map<String, String> environment(String service) {
    JsonNode env = service(service).path("environment");
    Map<String, String> out = new LinkedHashMap<>();
    if (env.isArray()) {
      for (JsonNode e : env) {
        String[] kv = e.asText().split("=", 2);
        out.put(kv[0], kv.length > 1 ? kv[1] : "");
      }
    } else {
      env.properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
    }
    return out;
  }

  /** An environment value with the file's own defaults put in (see {@link ComposeVariables}). */
  String resolved(String service, String variable) {
    return ComposeVariables.withDefaults(environment(service).getOrDefault(variable, ""));
  }

  List<String> command(String service) {
    JsonNode c = service(service).path("command");
    List<String> out = new ArrayList<>();
    if (c.isArray()) {
      c.forEach(n -> out.add(n.asText()));
    } else {
      out.addAll(Arrays.asList(c.asText().strip().split("\\s+")));
    }
    return out;
  }

  /** The keys of a map, or the items of a list (the two forms compose accepts for most lists). */
  static List<String> names(JsonNode node) {
    List<String> out = new ArrayList<>();
    if (node.isObject()) {
      node.fieldNames().forEachRemaining(out::add);
    } else if (node.isArray()) {
      node.forEach(n -> out.add(n.asText()));
    }
    return out;
  }

  /** The host IP of a short-syntax port ({@code [HOST_IP:][HOST_PORT:]PORT[/PROTO]}), or "". */
  static String hostIp(String port) {
    String p = port.replaceFirst("/(tcp|udp|sctp)$", "");
    if (p.startsWith("[")) {
      return p.substring(1, p.indexOf(']'));
    }
    String[] parts = p.split(":");
    return parts.length >= 3 ? parts[0] : "";
  }

  /** The container side of a short-syntax port. */
  static String containerPort(String port) {
    String[] parts = port.replaceFirst("/(tcp|udp|sctp)$", "").split(":");
    return parts[parts.length - 1];
  }

  /** The port of a {@code host:port} listen setting. */
  static String portOf(String hostPort) {
    return hostPort.substring(hostPort.lastIndexOf(':') + 1);
  }
}
