package io.meridian.transparency;

import org.postgresql.PGConnection;

import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Rows for PostgreSQL's COPY in its text format, which costs the database a fraction of the same
 * rows as single INSERTs (the log writes one or two rows per routing fact, on the same cores as
 * routing). Values here are numbers, ids without tabs, backslashes or newlines, and bytea.
 */
final class PgCopy {

    private static final HexFormat HEX = HexFormat.of();

    private final StringBuilder rows;
    private boolean lineStarted;

    PgCopy(int expectedBytes) {
        rows = new StringBuilder(expectedBytes);
    }

    /** The connection's PostgreSQL side, when it is PostgreSQL. */
    static Optional<PGConnection> of(Connection c) throws SQLException {
        return c.isWrapperFor(PGConnection.class) ? Optional.of(c.unwrap(PGConnection.class)) : Optional.empty();
    }

    private PgCopy next() {
        if (lineStarted) {
            rows.append('\t');
        }
        lineStarted = true;
        return this;
    }

    PgCopy value(Object v) {
        next().rows.append(v);
        return this;
    }

    /** bytea as {@code \\x} and hex (the backslash doubled for COPY); null as {@code \N}. */
    PgCopy bytes(byte[] b) {
        next();
        if (b == null) {
            rows.append("\\N");
        } else {
            rows.append("\\\\x").append(HEX.formatHex(b));
        }
        return this;
    }

    PgCopy endRow() {
        rows.append('\n');
        lineStarted = false;
        return this;
    }

    boolean isEmpty() {
        return rows.length() == 0;
    }

    void into(PGConnection pg, String table) throws SQLException {
        if (isEmpty()) {
            return;
        }
        try {
            pg.getCopyAPI().copyIn("copy " + table + " from stdin", new StringReader(rows.toString()));
        } catch (IOException e) {
            throw new SQLException("COPY into " + table + " failed", e);
        }
    }
}
