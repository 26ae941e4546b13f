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
 * order, so concurrent transactions never deadlock; a transaction that also locks meetings locks them
 * first), and the counters of held places kept in them ({@code data_center_state.reserved},
 * {@code live}, {@code live_at_report}), changed in the transaction that changes the holds.
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
        if (ids != null && ids.isEmpty()) {
            return Map.of();
        }
        Map<String, int[]> counts = new HashMap<>();
        String only = ids == null ? "" : " where data_center_id in (" + Jdbc.marks(ids.size()) + ")";
        try (PreparedStatement ps = c.prepareStatement("select data_center_id, reserved, live, live_at_report "
                + "from data_center_state" + only)) {
            if (ids != null) {
                Jdbc.bind(ps, 1, ids);
            }
            try (ResultSet r = ps.executeQuery()) {
                while (r.next()) {
                    counts.put(r.getString(1), new int[] {r.getInt(2), r.getInt(3), r.getInt(4)});
                }
            }
        }
        // the counters still include holds whose lease ran out and that await their cleanup: they no
        // longer count (reservations in column 0, live meetings' places in column 1; one statement)
        String sites = ids == null ? "" : " and h.data_center_id in (" + Jdbc.marks(ids.size()) + ")";
        try (PreparedStatement ps = c.prepareStatement("select 0, h.data_center_id, sum(h.participants) "
                + "from reservation r join reservation_hold h on h.reservation_id = r.id where r.expires_at <= ?" + sites
                + " group by h.data_center_id union all select 1, h.data_center_id, sum(h.places) from live_holder m "
                + "join live_hold h on h.meeting_id = m.meeting_id where m.expires_at <= ?" + sites
                + " group by h.data_center_id")) {
            int next = 1;
            for (int part = 0; part < 2; part++) {
                ps.setObject(next++, Jdbc.time(now));
                if (ids != null) {
                    next = Jdbc.bind(ps, next, ids);
                }
            }
            try (ResultSet r = ps.executeQuery()) {
                while (r.next()) {
                    int[] n = counts.get(r.getString(2));
                    if (n != null) {
                        n[r.getInt(1)] -= r.getInt(3);
                    }
                }
            }
        }
        Map<String, Holds> held = new HashMap<>();
        // a counter below its expired holds means it drifted (see CounterRepair)
        counts.forEach((id, n) -> held.put(id, new Holds(n[0], n[1], n[2]).atLeastZero()));
        return held;
    }

    /**
     * Adds (or, negative, removes) held places to the data centers' counters: one batch, in id order;
     * {@code at} (the clock after the locks) stamps the journal of live changes. Must run in the
     * transaction that changes the holds, after {@link #lock} of the same rows.
     */
    static void add(Connection c, Map<String, Holds> delta, Instant at) throws SQLException {
        boolean any = false;
        try (PreparedStatement ps = c.prepareStatement(
                "update data_center_state set reserved = reserved + ?, live = live + ? where data_center_id = ?")) {
            for (Map.Entry<String, Holds> e : new TreeMap<>(delta).entrySet()) {
                Holds d = e.getValue();
                if (d.reserved() != 0 || d.live() != 0) {
                    ps.setInt(1, d.reserved());
                    ps.setInt(2, d.live());
                    ps.setString(3, e.getKey());
                    ps.addBatch();
                    any = true;
                }
            }
            if (any) {
                ps.executeBatch();
            }
        }
        journal(c, delta, at);
    }

    /**
     * Journals the change of each data center's live counter, so a load report that arrives later,
     * stamped before this change, can tell how many live participants it saw (see
     * {@link LoadReports}).
     */
    private static void journal(Connection c, Map<String, Holds> delta, Instant at) throws SQLException {
        boolean any = false;
        try (PreparedStatement ps = c.prepareStatement(
                "insert into live_journal (data_center_id, changed_at, places) values (?, ?, ?)")) {
            for (Map.Entry<String, Holds> e : new TreeMap<>(delta).entrySet()) {
                if (e.getValue().live() != 0) {
                    ps.setString(1, e.getKey());
                    ps.setObject(2, Jdbc.time(at));
                    ps.setInt(3, e.getValue().live());
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
