package io.meridian.web;

import java.sql.SQLException;
import java.sql.SQLTransientException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

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

    /** Whether {@code e}, or any exception in its cause chain, is a transient database failure. */
    public static boolean isTransient(Throwable e) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = e; t != null && seen.add(t); t = t.getCause()) {
            if (t instanceof SQLTransientException) {
                // JDBC's own class: timeouts (H2's lock timeout), rollbacks, lost connections
                return true;
            }
            if (t instanceof SQLException sql && transientState(sql)) {
                return true;
            }
        }
        return false;
    }

    /**
     * SQLSTATE classes and codes of PostgreSQL (and the standard) that a retry can get past
     * (PostgreSQL manual, Appendix A "PostgreSQL Error Codes"): 08 connection exception, 40
     * transaction rollback (serialization failure 40001, deadlock 40P01), 53 insufficient resources
     * (too many connections 53300), 55P03 lock not available (lock_timeout), 57014 query canceled
     * (statement_timeout), 57P01-57P03 server shutting down or starting. Agroal reports an exhausted
     * pool as a plain SQLException without a state ("Sorry, acquisition timeout!").
     */
    static boolean transientState(SQLException e) {
        String state = e.getSQLState();
        if (state == null) {
            String message = e.getMessage();
            return message != null && message.contains("acquisition timeout");
        }
        return state.startsWith("08") || state.startsWith("40") || state.startsWith("53")
                || state.equals("55P03") || state.equals("57014") || state.startsWith("57P0");
    }
}
