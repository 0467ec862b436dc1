package org.tlsrpt.storage.engine;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.query.QueryResponse;
import com.clickhouse.client.api.query.QuerySettings;
import com.clickhouse.data.ClickHouseFormat;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * ClickHouse on a server, through the official Java client (client-v2) over HTTP(S). Compression is
 * off (Debian's old server answers compressed requests with empty bodies). A retriable failure
 * (server unreachable, a transient error code: see {@link StorageErrors}) is tried again with
 * exponential backoff up to {@code maxAttempts}; the last failure is thrown.
 */
public final class ServerClickHouse implements ClickHouse {
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

  private final Client client;
  private final String url;
  private final int maxAttempts;
  private final Duration firstBackoff;
  private final Duration timeout;

  /**
   * @param url e.g. {@code http://127.0.0.1:8123}
   * @param maxAttempts tries per statement, at least 1
   * @param firstBackoff wait before the second try; doubled each time, at most 30 s
   */
  public ServerClickHouse(
      String url,
      String user,
      String password,
      int maxAttempts,
      Duration firstBackoff,
      Duration timeout) {
    this(url, user, password, maxAttempts, firstBackoff, timeout, Map.of());
  }

  /**
   * @param serverSettings ClickHouse settings sent with every request
   */
  public ServerClickHouse(
      String url,
      String user,
      String password,
      int maxAttempts,
      Duration firstBackoff,
      Duration timeout,
      Map<String, String> serverSettings) {
    this.url = url;
    this.maxAttempts = Math.max(1, maxAttempts);
    this.firstBackoff = firstBackoff;
    this.timeout = timeout;
    Client.Builder builder =
        new Client.Builder()
            .addEndpoint(url)
            .setUsername(user)
            .setPassword(password)
            .compressServerResponse(false)
            .compressClientRequest(false)
            .useHttpCompression(false)
            .setMaxRetries(0) // retries are decided here, in one place
            .setConnectTimeout(timeout.toMillis())
            .setSocketTimeout(timeout.toMillis());
    serverSettings.forEach(builder::serverSetting);
    this.client = builder.build();
  }

  @Override
  public void execute(String sql) {
    retrying(
        "statement " + abbreviate(sql),
        () -> {
          client.execute(sql).get(timeout.toMillis(), TimeUnit.MILLISECONDS).close();
          return null;
        });
  }

  @Override
  public void insert(String table, String format, byte[] rows) {
    ClickHouseFormat f = ClickHouseFormat.valueOf(format);
    int paren = table.indexOf('(');
    retrying(
        "insert into " + table,
        () -> {
          InputStream data = new ByteArrayInputStream(rows);
          if (paren < 0) {
            client.insert(table, data, f).get(timeout.toMillis(), TimeUnit.MILLISECONDS).close();
          } else {
            List<String> columns =
                Arrays.stream(table.substring(paren + 1, table.lastIndexOf(')')).split(","))
                    .map(String::trim)
                    .toList();
            client
                .insert(table.substring(0, paren).trim(), columns, data, f)
                .get(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .close();
          }
          return null;
        });
  }

  @Override
  public byte[] query(String sql, String format) {
    QuerySettings settings = new QuerySettings().setFormat(ClickHouseFormat.valueOf(format));
    return retrying(
        "query " + abbreviate(sql),
        () -> {
          QueryResponse r =
              // the format travels in the statement too: old servers ignore the client's setting
              client
                  .query(sql + "\nFORMAT " + format, settings)
                  .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
          try {
            return r.getInputStream().readAllBytes();
          } finally {
            closeQuietly(r);
          }
        });
  }

  @FunctionalInterface
  private interface Call<T> {
    T run() throws Exception;
  }

  private <T> T retrying(String what, Call<T> call) {
    Backoff backoff = new Backoff(firstBackoff, MAX_BACKOFF);
    for (int attempt = 1; ; attempt++) {
      try {
        return call.run();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new StorageException(what + ": interrupted", true, e);
      } catch (Exception e) {
        Throwable cause =
            e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        StorageException s =
            cause instanceof TimeoutException
                ? new StorageException(
                    what + ": no answer from " + url + " within " + timeout, true, cause)
                : StorageErrors.fromException(what + " on " + url, cause);
        if (!s.retriable() || attempt >= maxAttempts) {
          throw s;
        }
        if (!backoff.await(() -> true)) {
          throw s; // interrupted: the interrupt is kept
        }
      }
    }
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      // the response was read in full; failing to release it changes nothing for the caller
    }
  }

  private static String abbreviate(String sql) {
    return sql.length() <= 120 ? sql : sql.substring(0, 117) + "...";
  }

  @Override
  public String describe() {
    return "ClickHouse server at " + url;
  }

  @Override
  public void close() {
    client.close();
  }
}
