package io.meridian.transparency;

import org.postgresql.PGConnection;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Optional;

/**
 * Rows for PostgreSQL's COPY in its text format, which costs the database a fraction of the same
 * rows as single INSERTs (the log writes one or two rows per routing fact, on the same cores as
 * routing). Values here are numbers, ids without tabs, backslashes or newlines, and bytea.
 */
final class PgCopy {

    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    /** The rows as the bytes COPY reads: built as bytes, so the driver sends them without re-encoding. */
    private byte[] rows;
    private int size;
    private boolean lineStarted;

    PgCopy(int expectedBytes) {
        rows = new byte[Math.max(64, expectedBytes)];
    }

    /** The connection's PostgreSQL side, when it is PostgreSQL. */
    static Optional<PGConnection> of(Connection c) throws SQLException {
        return c.isWrapperFor(PGConnection.class) ? Optional.of(c.unwrap(PGConnection.class)) : Optional.empty();
    }

    private void room(int n) {
        if (size + n > rows.length) {
            rows = Arrays.copyOf(rows, Math.max(rows.length * 2, size + n));
        }
    }

    private void put(byte b) {
        room(1);
        rows[size++] = b;
    }

    private PgCopy next() {
        if (lineStarted) {
            put((byte) '\t');
        }
        lineStarted = true;
        return this;
    }

    PgCopy value(Object v) {
        next();
        byte[] text = String.valueOf(v).getBytes(StandardCharsets.UTF_8);
        room(text.length);
        System.arraycopy(text, 0, rows, size, text.length);
        size += text.length;
        return this;
    }

    /** bytea as {@code \\x} and hex (the backslash doubled for COPY); null as {@code \N}. */
    PgCopy bytes(byte[] b) {
        next();
        if (b == null) {
            room(2);
            rows[size++] = '\\';
            rows[size++] = 'N';
            return this;
        }
        room(3 + 2 * b.length);
        rows[size++] = '\\';
        rows[size++] = '\\';
        rows[size++] = 'x';
        for (byte x : b) {
            rows[size++] = HEX[(x >> 4) & 0xF];
            rows[size++] = HEX[x & 0xF];
        }
        return this;
    }

    PgCopy endRow() {
        put((byte) '\n');
        lineStarted = false;
        return this;
    }

    boolean isEmpty() {
        return size == 0;
    }

    void into(PGConnection pg, String table) throws SQLException {
        if (isEmpty()) {
            return;
        }
        try {
            pg.getCopyAPI().copyIn("copy " + table + " from stdin", new ByteArrayInputStream(rows, 0, size));
        } catch (IOException e) {
            throw new SQLException("COPY into " + table + " failed", e);
        }
    }
}
