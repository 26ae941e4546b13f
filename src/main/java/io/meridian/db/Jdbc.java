package io.meridian.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;

/** Small helpers for the plain JDBC statements of the capacity paths (H2 and PostgreSQL alike). */
public final class Jdbc {

    private Jdbc() {
    }

    /** {@code ?, ?, ?} for an {@code in (...)} list of n values (n ≥ 1). */
    public static String marks(int n) {
        StringBuilder s = new StringBuilder(n * 3);
        for (int i = 0; i < n; i++) {
            s.append(i == 0 ? "?" : ", ?");
        }
        return s.toString();
    }

    /** Binds the values as strings from parameter {@code first} on; returns the next parameter index. */
    public static int bind(PreparedStatement ps, int first, Collection<String> values) throws SQLException {
        int i = first;
        for (String v : values) {
            ps.setString(i++, v);
        }
        return i;
    }

    /** An instant as a {@code timestamp with time zone} parameter. */
    public static OffsetDateTime time(Instant instant) {
        // through the local date-time: ofInstant asks the offset for its rules, a new rules object
        // (with a cache map of its own) at every call, and this runs for every timestamp bound
        return instant == null ? null : OffsetDateTime.of(LocalDateTime.ofEpochSecond(instant.getEpochSecond(),
                instant.getNano(), ZoneOffset.UTC), ZoneOffset.UTC);
    }

    /** A {@code timestamp with time zone} column as an instant (null stays null). */
    public static Instant instant(ResultSet r, int column) throws SQLException {
        OffsetDateTime t = r.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    /** Bounds how long the rest of this transaction waits for any one lock: see {@link Pipeline#limitLockWait}. */
    public static void limitLockWait(Connection c, Duration limit) throws SQLException {
        Pipeline.on(c).limitLockWait(limit).run();
    }
}
