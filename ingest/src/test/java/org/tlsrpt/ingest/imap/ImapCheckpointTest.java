package org.tlsrpt.ingest.imap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImapCheckpointTest {
  @TempDir Path dir;

  @Test
  void remembersTheLastUidAcrossLoads() {
    Path file = dir.resolve("state/imap.checkpoint");
    ImapCheckpoint c = ImapCheckpoint.load(file);
    assertThat(c.adopt(42)).as("a first UIDVALIDITY is no reset").isFalse();
    c.advance(3);
    c.advance(2);
    ImapCheckpoint again = ImapCheckpoint.load(file);
    assertThat(again.uidValidity()).isEqualTo(42);
    assertThat(again.lastUid()).isEqualTo(3);
    assertThat(again.covers(3)).isTrue();
    assertThat(again.covers(4)).isFalse();
  }

  @Test
  void startsOverWhenTheFolderWasRecreated() {
    ImapCheckpoint c = ImapCheckpoint.load(dir.resolve("imap.checkpoint"));
    c.adopt(42);
    c.advance(7);
    assertThat(c.adopt(42)).isFalse();
    assertThat(c.adopt(43)).isTrue();
    assertThat(c.lastUid()).isZero();
    assertThat(ImapCheckpoint.load(dir.resolve("imap.checkpoint")).uidValidity()).isEqualTo(43);
  }

  @Test
  void saysWhichFileIsDamaged() throws Exception {
    Path file = dir.resolve("imap.checkpoint");
    Files.writeString(file, "uidvalidity=x\n");
    assertThatThrownBy(() -> ImapCheckpoint.load(file))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("delete it");
  }
}
