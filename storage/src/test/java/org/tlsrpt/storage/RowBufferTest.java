package org.tlsrpt.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class RowBufferTest {

  @Test
  void writesLittleEndianNumbersAndLeb128LengthsAsRowBinaryWantsThem() {
    RowBuffer b = new RowBuffer(0);
    b.int32(0x01020304);
    b.int64(-2L);
    b.varint(300); // 0b1_0010_1100 -> 0xAC 0x02
    b.string(new byte[] {'h', 'i'});
    assertThat(b.size()).isEqualTo(4 + 8 + 2 + 3);
    byte[] out = java.util.Arrays.copyOf(b.array(), b.size());
    ByteBuffer read = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(read.getInt()).isEqualTo(0x01020304);
    assertThat(read.getLong()).isEqualTo(-2L);
    assertThat(new byte[] {read.get(), read.get()}).containsExactly(0xAC, 0x02);
    assertThat(new byte[] {read.get(), read.get(), read.get()}).containsExactly(2, 'h', 'i');
  }

  @Test
  void growsPastItsFirstSizeWithoutLosingBytes() {
    RowBuffer b = new RowBuffer(64);
    byte[] chunk = new byte[1000];
    for (int i = 0; i < chunk.length; i++) {
      chunk[i] = (byte) i;
    }
    for (int i = 0; i < 50; i++) {
      b.write(chunk, 0, chunk.length);
      b.write(7);
    }
    assertThat(b.size()).isEqualTo(50 * 1001);
    byte[] out = b.array();
    assertThat(out[1000]).isEqualTo((byte) 7);
    assertThat(out[49 * 1001 + 999]).isEqualTo((byte) 999);
  }

  @Test
  void handsOverItsOwnBufferWithoutACopy() {
    RowBuffer b = new RowBuffer(64);
    b.write(new byte[10], 0, 10);
    assertThat(b.array()).hasSize(64).isSameAs(b.array());
    assertThat(b.size()).isEqualTo(10);
  }
}
