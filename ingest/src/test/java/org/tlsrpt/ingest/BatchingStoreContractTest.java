package org.tlsrpt.ingest;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.tlsrpt.storage.RawArchive;

/**
 * The direct store (group commit into ClickHouse) on the real embedded engine; held means in the
 * raw archive; unavailable is a ClickHouse server address nothing listens on.
 */
class BatchingStoreContractTest implements DurableStoreContract {
  @TempDir Path dir;
  private IngestTestAccess access;
  private IngestTestAccess down;

  @BeforeEach
  void open() {
    access = IngestTestAccess.embedded(dir.resolve("store"));
  }

  @AfterEach
  void close() {
    access.close();
    if (down != null) {
      down.close();
    }
  }

  @Override
  public DurableStore store() {
    return access.store;
  }

  @Override
  public Set<String> held() {
    Set<String> shas = new HashSet<>();
    new RawArchive(access.ch, IngestTestAccess.DB)
        .forEach(100, page -> page.forEach(e -> shas.add(DurableStoreContract.sha256(e.raw()))));
    return shas;
  }

  @Override
  public DurableStore unavailable() {
    down = IngestTestAccess.storageDown();
    return down.store;
  }
}
