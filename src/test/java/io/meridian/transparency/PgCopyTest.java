package io.meridian.transparency;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The bytes of PostgreSQL's binary COPY format, as its documentation lays them out. */
class PgCopyTest {

    @Test
    void aRowIsItsFieldCountThenEachFieldsLengthAndBytesBetweenTheHeaderAndTheEndMarker() {
        byte[] hash = {1, 2, 3};
        byte[] stream = new PgCopy(0).row(5).int8(0x0102030405060708L).text("01ÄB").bytes(hash).bytes(null).int4(-2)
                .stream();

        ByteBuffer in = ByteBuffer.wrap(stream);
        byte[] signature = new byte[11];
        in.get(signature);
        assertThat(signature).containsExactly('P', 'G', 'C', 'O', 'P', 'Y', '\n', 0xFF, '\r', '\n', 0);
        assertThat(in.getInt()).as("flags").isZero();
        assertThat(in.getInt()).as("header extension").isZero();
        assertThat(in.getShort()).as("fields").isEqualTo((short) 5);
        assertThat(in.getInt()).isEqualTo(8);
        assertThat(in.getLong()).isEqualTo(0x0102030405060708L);
        byte[] text = "01ÄB".getBytes(StandardCharsets.UTF_8);
        assertThat(in.getInt()).isEqualTo(text.length);
        byte[] read = new byte[text.length];
        in.get(read);
        assertThat(read).isEqualTo(text);
        assertThat(in.getInt()).isEqualTo(3);
        assertThat(new byte[] {in.get(), in.get(), in.get()}).isEqualTo(hash);
        assertThat(in.getInt()).as("null").isEqualTo(-1);
        assertThat(in.getInt()).isEqualTo(4);
        assertThat(in.getInt()).isEqualTo(-2);
        assertThat(in.getShort()).as("end marker").isEqualTo((short) -1);
        assertThat(in.hasRemaining()).isFalse();
    }

    @Test
    void aStreamGrowsPastItsExpectedSizeAndRowsFollowOneAnother() {
        PgCopy copy = new PgCopy(1);
        assertThat(copy.isEmpty()).isTrue();
        for (int i = 0; i < 1000; i++) {
            copy.row(2).int8(i).bytes(new byte[32]);
        }
        assertThat(copy.isEmpty()).isFalse();
        assertThat(copy.stream()).hasSize(19 + 1000 * (2 + 4 + 8 + 4 + 32) + 2);
    }

    @Test
    void aRowWithTooFewOrTooManyValuesIsRefused() {
        assertThatThrownBy(() -> new PgCopy(0).row(2).int8(1).row(1))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("lacks 1");
        assertThatThrownBy(() -> new PgCopy(0).row(1).int8(1).int8(2))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("more values");
        assertThatThrownBy(() -> new PgCopy(0).row(2).int8(1).stream())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("lacks 1");
    }
}
