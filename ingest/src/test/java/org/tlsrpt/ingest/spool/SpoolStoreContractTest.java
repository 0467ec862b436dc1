package org.tlsrpt.ingest.spool;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.tlsrpt.ingest.DurableStore;
import org.tlsrpt.ingest.DurableStoreContract;
import org.tlsrpt.ingest.Envelope;
import org.tlsrpt.ingest.IngestTestAccess;
import org.tlsrpt.storage.Source;

/**
 * The spool (serve's default): held means read back by a spool reopened on the same directory, as
 * the loader finds its inputs after a restart; unavailable is a spool whose backlog is over its
 * limit (ingest.max_backlog_bytes, the loader far behind).
 */
class SpoolStoreContractTest implements DurableStoreContract {
  @TempDir Path dir;
  private Spool spool;
  private Spool full;

  @BeforeEach
  void open() throws Exception {
    spool = new Spool(dir.resolve("spool"), 1 << 20, 64L << 20, 100);
  }

  @AfterEach
  void close() {
    spool.close();
    if (full != null) {
      full.close();
    }
  }

  @Override
  public DurableStore store() {
    return new SpoolStore(spool);
  }

  @Override
  public Set<String> held() {
    spool.close();
    spool = new Spool(dir.resolve("spool"), 1 << 20, 64L << 20, 100);
    Set<String> shas = new HashSet<>();
    for (SpoolRead r : spool.read(spool.checkpoint(), 10_000, Long.MAX_VALUE)) {
      shas.add(DurableStoreContract.sha256(r.envelope().raw()));
    }
    return shas;
  }

  @Override
  public DurableStore unavailable() throws Exception {
    full = new Spool(dir.resolve("full"), 1 << 20, 0, 100);
    full.append(
        Envelope.mail(
            IngestTestAccess.bytes(IngestTestAccess.sample("cry-inc__google.json")), Source.SMTP));
    return new SpoolStore(full);
  }
}
