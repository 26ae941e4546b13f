package io.meridian.web;

import java.sql.SQLException;
import java.sql.SQLTransientException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Database failures that say "not now" rather than "never": a lock waited for too long, a deadlock
 * or serialization victim, a connection lost or not to be had, a statement cancelled by a timeout.
 * The same request may succeed a moment later, so the API answers them 503 with Retry-After instead
 * of 500, and the reservation holder does not retry such a batch one job at a time (each job would
 * wait out the same lock again).
 */
public final class TransientFailures {

    private TransientFailures() {
    }

    /**
     * Whether {@code e}, or any exception in its cause chain or among their suppressed ones (Narayana
     * attaches a failed commit's SQL error that way), is a transient database failure.
     */
    public static boolean isTransient(Throwable e) {
        return anyInChain(e, t -> t instanceof SQLTransientException
                // JDBC's own class: timeouts (H2's lock timeout), rollbacks, lost connections
                || t instanceof SQLException sql && transientState(sql)
                // H2's broken or closed connection (the embedded database's "08"): the database away
                || t instanceof SQLException h2 && h2.getSQLState() != null && H2_CONNECTION_STATES.contains(h2.getSQLState()));
    }

    /**
     * Whether the failure is a lock waited out or a deadlock or serialization victim (PostgreSQL 55P03,
     * 40P01, 40001; H2's lock timeout HYT00 and deadlock 40001): a conflict with another session over
     * some rows, which other rows need not share. The other transient failures (a lost connection, an
     * empty pool, a server going down) hit every statement alike.
     */
    public static boolean isLockConflict(Throwable e) {
        return anyInChain(e, t -> t instanceof SQLException sql && sql.getSQLState() != null
                && LOCK_CONFLICT_STATES.contains(sql.getSQLState()));
    }

    /**
     * Whether a request that failed so should be told "not now" (503): a transient failure, or a
     * connection that could not be had or broke under it (a request's transaction meeting an outage
     * half-way sees the pool's or the transaction manager's words, not a SQLSTATE).
     */
    public static boolean isUnavailable(Throwable e) {
        return isTransient(e) || isConnectionFailure(e);
    }

    /** Transient, but no lock conflict: the database away or the pool empty, for every statement alike. */
    public static boolean isOutage(Throwable e) {
        return isTransient(e) && !isLockConflict(e);
    }

    private static final Set<String> LOCK_CONFLICT_STATES = Set.of("55P03", "40P01", "40001", "HYT00");

    /**
     * Whether the failure is a connection that could not be had or was lost, whatever the driver
     * calls it: a SQLSTATE of class 08, or (Agroal, Hibernate, H2 closed) a message saying so.
     */
    public static boolean isConnectionFailure(Throwable e) {
        return anyInChain(e, t -> t instanceof SQLException sql && sql.getSQLState() != null
                && (sql.getSQLState().startsWith("08") || H2_CONNECTION_STATES.contains(sql.getSQLState()))
                || t instanceof org.hibernate.exception.JDBCConnectionException
                || t.getMessage() != null && CONNECTION_WORDS.matcher(t.getMessage()).find());
    }

    /** H2's own states for a broken connection and a closed database (the embedded default over TCP). */
    private static final Set<String> H2_CONNECTION_STATES = Set.of("90067", "90121", "90098");

    /**
     * Agroal, Narayana and the drivers say "no connection" in words; these are theirs (a transaction
     * that cannot enlist its connection is one whose connection broke).
     */
    private static final java.util.regex.Pattern CONNECTION_WORDS = java.util.regex.Pattern.compile(
            "(?i)acquire jdbc connection|connection refused|connection is closed|connection has been closed"
                    + "|connection is broken|database is already closed|pool is closed|datasource .*closed"
                    + "|acquisition timeout|failed to enlist|association of connection");

    /**
     * Whether the failure is a SQL data exception (class 22) or an integrity constraint violation
     * (class 23): the same statement would fail again, however often it is retried.
     */
    public static boolean isDataError(Throwable e) {
        return anyInChain(e, t -> t instanceof SQLException sql && sql.getSQLState() != null
                && (sql.getSQLState().startsWith("22") || sql.getSQLState().startsWith("23")));
    }

    /** The innermost cause's class and message, for a log line without a stack trace. */
    public static String rootMessage(Throwable e) {
        Throwable root = e;
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        while (root.getCause() != null && seen.add(root) && seen.size() < 50) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    /** The cause chain and the suppressed exceptions of each, each exception once, at most 50 deep. */
    private static boolean anyInChain(Throwable e, Predicate<Throwable> test) {
        return anyInChain(e, test, Collections.newSetFromMap(new IdentityHashMap<>()), 0);
    }

    private static boolean anyInChain(Throwable e, Predicate<Throwable> test, Set<Throwable> seen, int depth) {
        for (Throwable t = e; t != null && depth < 50 && seen.add(t); t = t.getCause(), depth++) {
            if (test.test(t)) {
                return true;
            }
            for (Throwable suppressed : t.getSuppressed()) {
                if (anyInChain(suppressed, test, seen, depth + 1)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * SQLSTATEs of PostgreSQL (PostgreSQL manual, Appendix A "PostgreSQL Error Codes") that a retry a
     * moment later can get past: lost or refused connections, serialization failure and deadlock
     * victims, too many connections, lock_timeout, statement_timeout, and a server shutting down,
     * crashed or starting up. Not transient: disk full, out of memory, a dropped database, protocol
     * violations. Agroal reports an exhausted pool as a plain SQLException without a state ("Sorry,
     * acquisition timeout!", or "Acquisition timeout while waiting for new connection").
     */
    private static final Set<String> TRANSIENT_STATES = Set.of("08000", "08001", "08003", "08004", "08006",
            "40001", "40P01", "53300", "55P03", "57014", "57P01", "57P02", "57P03");

    static boolean transientState(SQLException e) {
        String state = e.getSQLState();
        if (state == null) {
            String message = e.getMessage();
            return message != null && message.toLowerCase(Locale.ROOT).contains("acquisition timeout");
        }
        return TRANSIENT_STATES.contains(state);
    }
}
