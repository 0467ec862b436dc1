package org.tlsrpt.storage.schema;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where the schema lives: a database, and for a replicated deployment the cluster name (then tables
 * use the Replicated engines and are created {@code ON CLUSTER}; see docs/deployment.md).
 *
 * @param cluster null on one machine
 */
public record SchemaOptions(String database, String cluster) {
  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  public SchemaOptions {
    Objects.requireNonNull(database, "database");
    if (!IDENTIFIER.matcher(database).matches()) {
      throw new IllegalArgumentException(
          "database name '" + database + "' must be a plain identifier");
    }
    if (cluster != null && !IDENTIFIER.matcher(cluster).matches()) {
      throw new IllegalArgumentException(
          "cluster name '" + cluster + "' must be a plain identifier");
    }
  }

  public static SchemaOptions local(String database) {
    return new SchemaOptions(database, null);
  }

  /**
   * The name of a data table on each node: itself, or with {@code _local} on a cluster (where the
   * table of that name is the Distributed table over them).
   */
  public String localName(String table) {
    return cluster == null ? table : table + "_local";
  }

  /** {@code " ON CLUSTER <name>"} on a cluster, else nothing. */
  public String onCluster() {
    return cluster == null ? "" : " ON CLUSTER " + cluster;
  }
}
