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
 * Rows for PostgreSQL's COPY in its binary format, which costs the database a fraction of the same
 * rows as single INSERTs (the log writes a leaf row per routing fact, on the same cores as routing),
 * and less than the text format: no numbers or hex to parse. Each row states its number of fields,
 * then each field as its length and its bytes in the column type's binary form; the caller gives
 * the values in the columns' order and types ({@link #int4}, {@link #int8}, {@link #text},
 * {@link #bytes}).
 */
final class PgCopy {

    /** The binary format's signature, flags and header-extension length (PostgreSQL's COPY documentation). */
    private static final byte[] HEADER = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0,
            0, 0, 0, 0, 0, 0, 0, 0};

    private byte[] rows;
    private int size;
    private int rowCount;
    /** Fields still to come in the current row. */
    private int open;

    PgCopy(int expectedBytes) {
        rows = new byte[Math.max(64, HEADER.length + expectedBytes + 2)];
        System.arraycopy(HEADER, 0, rows, 0, HEADER.length);
        size = HEADER.length;
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

    private void putShort(int v) {
        rows[size++] = (byte) (v >>> 8);
        rows[size++] = (byte) v;
    }

    private void putInt(int v) {
        rows[size++] = (byte) (v >>> 24);
        rows[size++] = (byte) (v >>> 16);
        rows[size++] = (byte) (v >>> 8);
        rows[size++] = (byte) v;
    }

    /** Starts a row of {@code fields} values. */
    PgCopy row(int fields) {
        if (open != 0) {
            throw new IllegalStateException("the previous row lacks " + open + " values");
        }
        room(2);
        putShort(fields);
        open = fields;
        rowCount++;
        return this;
    }

    private void field(int length) {
        if (open-- <= 0) {
            throw new IllegalStateException("more values than the row's fields");
        }
        room(4 + Math.max(0, length));
        putInt(length);
    }

    /** An integer column. */
    PgCopy int4(int v) {
        field(4);
        putInt(v);
        return this;
    }

    /** A bigint column. */
    PgCopy int8(long v) {
        field(8);
        putInt((int) (v >>> 32));
        putInt((int) v);
        return this;
    }

    /** A text or varchar column, in UTF-8 (the databases' encoding). */
    PgCopy text(String v) {
        byte[] b = v.getBytes(StandardCharsets.UTF_8);
        field(b.length);
        System.arraycopy(b, 0, rows, size, b.length);
        size += b.length;
        return this;
    }

    /** A bytea column; null as SQL null. */
    PgCopy bytes(byte[] b) {
        if (b == null) {
            field(-1);
            return this;
        }
        field(b.length);
        System.arraycopy(b, 0, rows, size, b.length);
        size += b.length;
        return this;
    }

    boolean isEmpty() {
        return rowCount == 0;
    }

    /** The stream COPY reads: header, rows and the end marker. */
    byte[] stream() {
        return Arrays.copyOf(rows, end());
    }

    /** Puts the end marker after the rows (where a further row would overwrite it); the stream's length. */
    private int end() {
        if (open != 0) {
            throw new IllegalStateException("the last row lacks " + open + " values");
        }
        room(2);
        rows[size] = (byte) 0xFF;
        rows[size + 1] = (byte) 0xFF;
        return size + 2;
    }

    void into(PGConnection pg, String table) throws SQLException {
        if (isEmpty()) {
            return;
        }
        try {
            pg.getCopyAPI().copyIn("copy " + table + " from stdin (format binary)", new ByteArrayInputStream(rows, 0, end()));
        } catch (IOException e) {
            throw new SQLException("COPY into " + table + " failed", e);
        }
    }
}
