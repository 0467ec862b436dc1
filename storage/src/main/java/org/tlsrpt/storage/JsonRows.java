package org.tlsrpt.storage;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/** Builds a JSONEachRow payload, one object per row, in the value forms ClickHouse reads. */
final class JsonRows {
  private static final JsonFactory JSON = new JsonFactory();
  private static final DateTimeFormatter DATETIME64 =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

  private final ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
  private final JsonGenerator g;
  private int rows;

  JsonRows() {
    try {
      g = JSON.createGenerator(out, JsonEncoding.UTF8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  JsonRows begin() {
    try {
      g.writeStartObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  /** Begins a row with the columns of the report key, which every report table orders by. */
  JsonRows beginReport(org.tlsrpt.parser.model.TlsReport r) {
    return begin()
        .str("organization", r.organizationName())
        .str("report_id", r.reportId())
        .time("date_start", r.dateRange().start())
        .time("date_end", r.dateRange().end());
  }

  JsonRows str(String name, String value) {
    try {
      if (value == null) {
        g.writeNullField(name);
      } else {
        g.writeStringField(name, value);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  JsonRows num(String name, long value) {
    try {
      g.writeNumberField(name, value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  JsonRows numOrNull(String name, Long value) {
    return value == null ? str(name, null) : num(name, value);
  }

  JsonRows time(String name, Instant value) {
    return str(name, DATETIME64.format(value));
  }

  JsonRows array(String name, List<String> values) {
    try {
      g.writeArrayFieldStart(name);
      if (values != null) {
        for (String v : values) {
          g.writeString(v);
        }
      }
      g.writeEndArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  void end() {
    try {
      g.writeEndObject();
      g.flush();
      out.write('\n');
      rows++;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  int rows() {
    return rows;
  }

  byte[] bytes() {
    try {
      g.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
