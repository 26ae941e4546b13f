package io.meridian.db;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;

/**
 * Statements of one transaction sent to the database together. On PostgreSQL they go as one
 * multi-statement prepared statement: one round trip, while the server still runs them one after
 * another, each with its own snapshot (READ COMMITTED), and stops at the first that fails. Elsewhere
 * (H2, in process) each is a prepared statement of its own, in the same order.
 *
 * <p>A statement whose rows vary in number binds them as arrays ({@link Binder#texts} and the like),
 * read with {@code = any(?)} or {@code unnest(?, ?, ...)}, so its text is the same for any number of
 * rows and the server plans it once per connection. A statement whose parameters depend on an
 * earlier statement's rows cannot share its pipeline: run that one first.
 *
 * <p>A pipeline is used once: add statements, then {@link #run}; every query's rows are read by then.
 */
public final class Pipeline {

    /** Binds one statement's parameters, in order. */
    @FunctionalInterface
    public interface Params {
        void bind(Binder b) throws SQLException;
    }

    /** Reads a query's rows (the result set is closed afterwards). */
    @FunctionalInterface
    public interface Rows {
        void read(ResultSet r) throws SQLException;
    }

    private record Step(String sql, Params params, Rows rows) {
    }

    private final Connection c;
    private final boolean together;
    private final List<Step> steps = new ArrayList<>();
    private boolean ran;

    private Pipeline(Connection c, boolean together) {
        this.c = c;
        this.together = together;
    }

    /** A pipeline on {@code c}: one round trip on PostgreSQL, a statement at a time elsewhere. */
    public static Pipeline on(Connection c) throws SQLException {
        return new Pipeline(c, c.isWrapperFor(org.postgresql.PGConnection.class));
    }

    /** Whether this pipeline runs on PostgreSQL (whose SQL some callers use more of, e.g. LATERAL). */
    public boolean onPostgresql() {
        return together;
    }

    /**
     * Bounds how long the statements after this one wait for any one lock, for the rest of the
     * transaction. PostgreSQL waits without end by default; this sets its {@code lock_timeout} for
     * this transaction only. H2 has no per-transaction setting: its session {@code LOCK_TIMEOUT} is
     * set instead, at once, before any statement of this pipeline runs (the embedded default's URL
     * sets the same 10 s on every connection). Add it before the statements that lock.
     */
    public Pipeline limitLockWait(Duration limit) throws SQLException {
        long millis = Math.max(1, limit.toMillis());
        if (together) {
            return query("select set_config('lock_timeout', ?, true)", b -> b.text(millis + "ms"), r -> {
            });
        }
        try (Statement st = c.createStatement()) {
            st.execute("set lock_timeout " + millis);
        }
        return this;
    }

    /**
     * Makes PostgreSQL plan the rest of this transaction's statements as what they are, lookups by
     * key driven by a few values: index scans joined by nested loops, never a scan of a whole table.
     * PostgreSQL keeps the plan it makes for a statement once and reuses it; made while a table is
     * still small (a service just started), a plan that reads the table whole would stay until the
     * table is analysed again, however large it grows meanwhile. The statements are planned once, for
     * any values ({@code plan_cache_mode}): a statement whose plan for its values looks cheaper than
     * the plan for any values would otherwise be planned again at every execution (a quarter of a
     * millisecond for a union of joins, more than running it). Nothing on other databases.
     */
    public Pipeline keyLookups() {
        if (together) {
            query("select set_config('enable_seqscan', 'off', true), set_config('enable_bitmapscan', 'off', true), "
                    + "set_config('enable_hashjoin', 'off', true), set_config('enable_mergejoin', 'off', true), "
                    + "set_config('enable_material', 'off', true), "
                    + "set_config('plan_cache_mode', 'force_generic_plan', true)", b -> {
                    }, r -> {
                    });
        }
        return this;
    }

    /**
     * Ends the pipeline with the transaction's commit, on PostgreSQL: the commit goes in the same
     * round trip as the statements before it, and only if every one of them succeeded (after a
     * failing statement the server skips the rest, the commit included). Answers whether it did;
     * elsewhere nothing is added and the transaction commits as usual.
     */
    public boolean commitLast() {
        if (together) {
            update("commit", b -> {
            });
        }
        return together;
    }

    /**
     * Whether {@code e} carries an error the database server reported for a statement (not the
     * connection failing, not the server going down): the transaction it was in did not commit.
     */
    public static boolean refusedByServer(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof org.postgresql.util.PSQLException psql && psql.getServerErrorMessage() != null) {
                return "ERROR".equals(psql.getServerErrorMessage().getSeverity());
            }
        }
        return false;
    }

    /** Adds a query; {@code rows} reads its rows when the pipeline runs. */
    public Pipeline query(String sql, Params params, Rows rows) {
        requireOpen();
        steps.add(new Step(sql, params, rows));
        return this;
    }

    /** Adds a statement that changes rows. */
    public Pipeline update(String sql, Params params) {
        requireOpen();
        steps.add(new Step(sql, params, null));
        return this;
    }

    /** Sends every statement added, in order, and reads the queries' rows. */
    public void run() throws SQLException {
        requireOpen();
        ran = true;
        if (steps.isEmpty()) {
            return;
        }
        if (!together || steps.size() == 1) {
            for (Step s : steps) {
                try (PreparedStatement ps = c.prepareStatement(s.sql())) {
                    s.params().bind(new Binder(c, ps, 1, together));
                    if (s.rows() == null) {
                        ps.executeUpdate();
                    } else {
                        try (ResultSet r = ps.executeQuery()) {
                            s.rows().read(r);
                        }
                    }
                }
            }
            return;
        }
        int length = 0;
        for (Step s : steps) {
            length += s.sql().length() + 2;
        }
        StringBuilder sql = new StringBuilder(length);
        for (Step s : steps) {
            sql.append(sql.length() == 0 ? "" : ";\n").append(s.sql());
        }
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            Binder b = new Binder(c, ps, 1, true);
            for (Step s : steps) {
                s.params().bind(b);
            }
            boolean isRows = ps.execute();
            for (Step s : steps) {
                if (s.rows() != null) {
                    if (!isRows) {
                        throw new SQLException("expected rows from: " + s.sql());
                    }
                    try (ResultSet r = ps.getResultSet()) {
                        s.rows().read(r);
                    }
                } else if (isRows) {
                    throw new SQLException("expected an update count from: " + s.sql());
                }
                isRows = ps.getMoreResults();
            }
        }
    }

    /** One column of rows, for an array parameter. */
    public static <T, V> List<V> column(Collection<T> rows, Function<T, V> value) {
        List<V> column = new ArrayList<>(rows.size());
        for (T row : rows) {
            column.add(value.apply(row));
        }
        return column;
    }

    private void requireOpen() {
        if (ran) {
            throw new IllegalStateException("a pipeline runs once");
        }
    }

    /** Binds parameters one after another, across the statements of a pipeline. */
    public static final class Binder {

        private final Connection c;
        private final PreparedStatement ps;
        private final boolean postgres;
        private int next;

        private Binder(Connection c, PreparedStatement ps, int first, boolean postgres) {
            this.c = c;
            this.ps = ps;
            this.next = first;
            this.postgres = postgres;
        }

        public Binder text(String value) throws SQLException {
            if (value == null) {
                ps.setNull(next++, Types.VARCHAR);
            } else {
                ps.setString(next++, value);
            }
            return this;
        }

        public Binder integer(int value) throws SQLException {
            ps.setInt(next++, value);
            return this;
        }

        public Binder bigint(long value) throws SQLException {
            ps.setLong(next++, value);
            return this;
        }

        public Binder time(Instant value) throws SQLException {
            ps.setObject(next++, Jdbc.time(value));
            return this;
        }

        /** Strings (null elements allowed) as one {@code varchar} array. */
        public Binder texts(Collection<String> values) throws SQLException {
            return array("varchar", "VARCHAR", values.toArray(new String[0]));
        }

        public Binder integers(Collection<Integer> values) throws SQLException {
            return array("int4", "INTEGER", values.toArray(new Integer[0]));
        }

        public Binder bigints(Collection<Long> values) throws SQLException {
            return array("int8", "BIGINT", values.toArray(new Long[0]));
        }

        /** Doubles (null elements allowed) as one {@code double precision} array. */
        public Binder doubles(Collection<Double> values) throws SQLException {
            return array("float8", "DOUBLE PRECISION", values.toArray(new Double[0]));
        }

        public Binder booleans(Collection<Boolean> values) throws SQLException {
            return array("bool", "BOOLEAN", values.toArray(new Boolean[0]));
        }

        /** Instants (null elements allowed) as one {@code timestamp with time zone} array. */
        public Binder times(Collection<Instant> values) throws SQLException {
            Object[] times = new Object[values.size()];
            int i = 0;
            for (Instant t : values) {
                times[i++] = Jdbc.time(t);
            }
            return array("timestamptz", "TIMESTAMP WITH TIME ZONE", times);
        }

        /**
         * One array parameter. Passed as an array of its element class ({@code String[]},
         * {@code Long[]}, ...), the PostgreSQL driver sends it in binary; an {@code Object[]} is
         * written out as text and parsed again by the server. Timestamps go that way, as the driver
         * has no binary form for them.
         */
        private Binder array(String postgresType, String standardType, Object[] values) throws SQLException {
            Array a = c.createArrayOf(postgres ? postgresType : standardType, values);
            ps.setArray(next++, a);
            return this;
        }
    }
}
