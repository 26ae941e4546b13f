package io.meridian.ledger;

import io.meridian.db.Pipeline;

import java.sql.Connection;
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
        Pipeline p = Pipeline.on(c);
        lock(p, dataCenterIds);
        p.run();
    }

    /** {@link #lock(Connection, Collection)} as a statement of a pipeline. */
    static void lock(Pipeline p, Collection<String> dataCenterIds) {
        if (dataCenterIds.isEmpty()) {
            return;
        }
        List<String> ids = new ArrayList<>(new TreeSet<>(dataCenterIds));
        p.query("select data_center_id from data_center_state where data_center_id = any(?) "
                + "order by data_center_id for update", b -> b.texts(ids), r -> {
                    while (r.next()) {
                        // reading every row makes sure each lock is taken
                    }
                });
    }

    /**
     * The places held on data centers whose rows this transaction has locked: each row's counter minus
     * the holds of reservations that expired but are not yet deleted.
     *
     * <p>These are statements of their own, after the lock, on purpose: under READ COMMITTED a
     * statement that waited for a row lock still evaluates its subqueries on the snapshot taken before
     * the wait, so a sum of holds read in the locking statement itself can miss the holds of the
     * transaction it waited for (the multi-replica test over-booked that way). The statements after
     * the lock see them, also when they follow it in one pipeline.
     */
    static Map<String, Holds> readLocked(Connection c, Collection<String> dataCenterIds, Instant now)
            throws SQLException {
        Map<String, Holds> held = new HashMap<>();
        Pipeline p = Pipeline.on(c);
        readLocked(p, dataCenterIds, now, held);
        p.run();
        return held;
    }

    /** {@link #readLocked(Connection, Collection, Instant)} as statements of a pipeline, into {@code held}. */
    static void readLocked(Pipeline p, Collection<String> dataCenterIds, Instant now, Map<String, Holds> held) {
        read(p, new ArrayList<>(new TreeSet<>(dataCenterIds)), now, held);
    }

    /** {@link #readLocked} of every data center, without locks (the capacity view's refresh). */
    static Map<String, Holds> readAll(Connection c, Instant now) throws SQLException {
        Map<String, Holds> held = new HashMap<>();
        Pipeline p = Pipeline.on(c);
        read(p, null, now, held);
        p.run();
        return held;
    }

    private static void read(Pipeline p, List<String> ids, Instant now, Map<String, Holds> held) {
        if (ids != null && ids.isEmpty()) {
            return;
        }
        Map<String, int[]> counts = new HashMap<>();
        String only = ids == null ? "" : " where data_center_id = any(?)";
        p.query("select data_center_id, reserved, live, live_at_report from data_center_state" + only, b -> {
            if (ids != null) {
                b.texts(ids);
            }
        }, r -> {
            while (r.next()) {
                counts.put(r.getString(1), new int[] {r.getInt(2), r.getInt(3), r.getInt(4)});
            }
        });
        // the counters still include holds whose lease ran out and that await their cleanup: they no
        // longer count (reservations in column 0, live meetings' places in column 1; one statement).
        // The holders whose lease ran out are few: each side starts from them, through their expiry
        // index (the ordered subqueries keep PostgreSQL's generic plan, which knows no expiry time,
        // from reading every holder by its key instead)
        String sites = ids == null ? "" : " where h.data_center_id = any(?)";
        p.query("select 0, h.data_center_id, sum(h.participants) from (select id from reservation "
                + "where expires_at <= ? order by expires_at) r join reservation_hold h on h.reservation_id = r.id"
                + sites + " group by h.data_center_id union all select 1, h.data_center_id, sum(h.places) from "
                + "(select meeting_id from live_holder where expires_at <= ? order by expires_at) m "
                + "join live_hold h on h.meeting_id = m.meeting_id" + sites + " group by h.data_center_id", b -> {
                    for (int part = 0; part < 2; part++) {
                        b.time(now);
                        if (ids != null) {
                            b.texts(ids);
                        }
                    }
                }, r -> {
                    while (r.next()) {
                        int[] n = counts.get(r.getString(2));
                        if (n != null) {
                            n[r.getInt(1)] -= r.getInt(3);
                        }
                    }
                    // a counter below its expired holds means it drifted (see CounterRepair)
                    counts.forEach((id, n) -> held.put(id, new Holds(n[0], n[1], n[2]).atLeastZero()));
                });
    }

    /**
     * Adds (or, negative, removes) held places to the data centers' counters: one statement;
     * {@code at} (the clock after the locks) stamps the journal of live changes. Must run in the
     * transaction that changes the holds, after {@link #lock} of the same rows.
     */
    static void add(Connection c, Map<String, Holds> delta, Instant at) throws SQLException {
        Pipeline p = Pipeline.on(c);
        add(p, delta, at);
        p.run();
    }

    /** {@link #add(Connection, Map, Instant)} as statements of a pipeline. */
    static void add(Pipeline p, Map<String, Holds> delta, Instant at) {
        List<String> ids = new ArrayList<>();
        List<Integer> reserved = new ArrayList<>();
        List<Integer> live = new ArrayList<>();
        for (Map.Entry<String, Holds> e : new TreeMap<>(delta).entrySet()) {
            Holds d = e.getValue();
            if (d.reserved() != 0 || d.live() != 0) {
                ids.add(e.getKey());
                reserved.add(d.reserved());
                live.add(d.live());
            }
        }
        if (!ids.isEmpty()) {
            p.update("merge into data_center_state d using (select * from unnest(?, ?, ?) as u(id, reserved, live)) u "
                    + "on d.data_center_id = u.id when matched then update set reserved = d.reserved + u.reserved, "
                    + "live = d.live + u.live", b -> b.texts(ids).integers(reserved).integers(live));
        }
        journal(p, delta, at);
    }

    /**
     * Journals the change of each data center's live counter, so a load report that arrives later,
     * stamped before this change, can tell how many live participants it saw (see
     * {@link LoadReports}).
     */
    private static void journal(Pipeline p, Map<String, Holds> delta, Instant at) {
        List<String> ids = new ArrayList<>();
        List<Integer> places = new ArrayList<>();
        for (Map.Entry<String, Holds> e : new TreeMap<>(delta).entrySet()) {
            if (e.getValue().live() != 0) {
                ids.add(e.getKey());
                places.add(e.getValue().live());
            }
        }
        if (!ids.isEmpty()) {
            p.update("insert into live_journal (data_center_id, changed_at, places) "
                    + "select u.id, cast(? as timestamp with time zone), u.places from unnest(?, ?) as u(id, places)",
                    b -> b.time(at).texts(ids).integers(places));
        }
    }
}
