package io.meridian.ledger;

import io.meridian.db.Jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The data centers' rows as the ledger uses them: the lock every writer of holds takes first (in id
 * order, so concurrent transactions never deadlock), and the counters of held places kept in them
 * ({@code data_center_state.reserved}), changed in the transaction that changes the holds.
 */
final class Sites {

    private Sites() {
    }

    /** Locks the rows of the given data centers (in id order) for the rest of the transaction. */
    static void lock(Connection c, Collection<String> dataCenterIds) throws SQLException {
        if (dataCenterIds.isEmpty()) {
            return;
        }
        List<String> ids = new ArrayList<>(new TreeSet<>(dataCenterIds));
        try (PreparedStatement ps = c.prepareStatement("select data_center_id from data_center_state where "
                + "data_center_id in (" + Jdbc.marks(ids.size()) + ") order by data_center_id for update")) {
            Jdbc.bind(ps, 1, ids);
            try (ResultSet r = ps.executeQuery()) {
                while (r.next()) {
                    // reading every row makes sure each lock is taken
                }
            }
        }
    }

    /**
     * The places held on data centers whose rows this transaction has locked: each row's counter minus
     * the holds of reservations that expired but are not yet deleted.
     *
     * <p>This is a statement of its own, after the lock, on purpose: under READ COMMITTED a statement
     * that waited for a row lock still evaluates its subqueries on the snapshot taken before the wait,
     * so a sum of holds read in the locking statement itself can miss the holds of the transaction it
     * waited for (the multi-replica test over-booked that way). The statement after the lock sees them.
     */
    static Map<String, Holds> readLocked(Connection c, Collection<String> dataCenterIds, Instant now)
            throws SQLException {
        return read(c, new ArrayList<>(new TreeSet<>(dataCenterIds)), now);
    }

    /** {@link #readLocked} of every data center, without locks (the capacity view's refresh). */
    static Map<String, Holds> readAll(Connection c, Instant now) throws SQLException {
        return read(c, null, now);
    }

    private static Map<String, Holds> read(Connection c, List<String> ids, Instant now) throws SQLException {
        Map<String, Integer> reserved = new HashMap<>();
        if (ids != null && ids.isEmpty()) {
            return Map.of();
        }
        String only = ids == null ? "" : " where data_center_id in (" + Jdbc.marks(ids.size()) + ")";
        try (PreparedStatement ps = c.prepareStatement("select data_center_id, reserved from data_center_state" + only)) {
            if (ids != null) {
                Jdbc.bind(ps, 1, ids);
            }
            try (ResultSet r = ps.executeQuery()) {
                while (r.next()) {
                    reserved.put(r.getString(1), r.getInt(2));
                }
            }
        }
        // the counter still includes holds that expired and await the cleanup job: they no longer count
        try (PreparedStatement ps = c.prepareStatement("select h.data_center_id, sum(h.participants) from "
                + "reservation r join reservation_hold h on h.reservation_id = r.id where r.expires_at <= ?"
                + (ids == null ? "" : " and h.data_center_id in (" + Jdbc.marks(ids.size()) + ")")
                + " group by h.data_center_id")) {
            ps.setObject(1, Jdbc.time(now));
            if (ids != null) {
                Jdbc.bind(ps, 2, ids);
            }
            try (ResultSet r = ps.executeQuery()) {
                while (r.next()) {
                    reserved.merge(r.getString(1), -r.getInt(2), Integer::sum);
                }
            }
        }
        Map<String, Holds> held = new HashMap<>();
        // a counter below its expired holds means it drifted (see CounterRepair)
        reserved.forEach((id, n) -> held.put(id, Holds.reserved(Math.max(0, n))));
        return held;
    }

    /**
     * Adds (or, negative, removes) held places to the data centers' counters: one batch, in id order.
     * Must run in the transaction that changes the holds, after {@link #lock} of the same rows.
     */
    static void add(Connection c, Map<String, Holds> delta) throws SQLException {
        boolean any = false;
        try (PreparedStatement ps = c.prepareStatement(
                "update data_center_state set reserved = reserved + ? where data_center_id = ?")) {
            for (Map.Entry<String, Holds> e : new TreeMap<>(delta).entrySet()) {
                Holds d = e.getValue();
                if (d.reserved() != 0) {
                    ps.setInt(1, d.reserved());
                    ps.setString(2, e.getKey());
                    ps.addBatch();
                    any = true;
                }
            }
            if (any) {
                ps.executeBatch();
            }
        }
    }
}
