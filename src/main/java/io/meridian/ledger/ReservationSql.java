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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** The statements on the reservation tables ({@code reservation}, {@code reservation_hold}). */
final class ReservationSql {

    private ReservationSql() {
    }

    /** The reservations and their holds: two batched statements. */
    static void insert(Connection c, List<HoldRequest> held, Instant now, Instant expires) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into reservation (id, meeting_id, created_at, "
                + "created_by, expires_at) values (?, ?, ?, ?, ?)")) {
            for (HoldRequest r : held) {
                ps.setString(1, r.reservationId());
                ps.setString(2, r.meetingId());
                ps.setObject(3, Jdbc.time(now));
                ps.setString(4, r.caller());
                ps.setObject(5, Jdbc.time(expires));
                ps.addBatch();
            }
            ps.executeBatch();
        }
        try (PreparedStatement ps = c.prepareStatement("insert into reservation_hold (reservation_id, data_center_id, "
                + "participants) values (?, ?, ?)")) {
            for (HoldRequest r : held) {
                for (Map.Entry<String, Integer> place : r.places().entrySet()) {
                    ps.setString(1, r.reservationId());
                    ps.setString(2, place.getKey());
                    ps.setInt(3, place.getValue());
                    ps.addBatch();
                }
            }
            ps.executeBatch();
        }
    }

    /** Of the given reservations, those not expired at {@code now}. */
    static Set<String> liveAmong(Connection c, Set<String> ids, Instant now) throws SQLException {
        Set<String> live = new HashSet<>();
        if (ids.isEmpty()) {
            return live;
        }
        try (PreparedStatement ps = c.prepareStatement("select id from reservation where id in ("
                + Jdbc.marks(ids.size()) + ") and expires_at > ?")) {
            int next = Jdbc.bind(ps, 1, ids);
            ps.setObject(next, Jdbc.time(now));
            try (ResultSet r = ps.executeQuery()) {
                while (r.next()) {
                    live.add(r.getString(1));
                }
            }
        }
        return live;
    }

    /** Deletes reservations (their holds go with them), all of which must exist. */
    static void delete(Connection c, Set<String> ids) throws SQLException {
        if (ids.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("delete from reservation where id in ("
                + Jdbc.marks(ids.size()) + ")")) {
            Jdbc.bind(ps, 1, ids);
            int deleted = ps.executeUpdate();
            if (deleted != ids.size()) {
                throw new IllegalStateException("deleted " + deleted + " of " + ids.size()
                        + " reservations that were live under their rows' locks");
            }
        }
    }

    /** Deletes one reservation if it expired at {@code now}; whether this call deleted it. */
    static boolean deleteExpired(Connection c, String id, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("delete from reservation where id = ? and expires_at <= ?")) {
            ps.setString(1, id);
            ps.setObject(2, Jdbc.time(now));
            return ps.executeUpdate() == 1;
        }
    }

    /**
     * The holds of those of the given reservations that are live ({@code live}) or expired at
     * {@code now}, by reservation, each as places per data center. One statement.
     */
    static Map<String, Map<String, Integer>> holdsOf(Connection c, Collection<String> ids, boolean live, Instant now)
            throws SQLException {
        Map<String, Map<String, Integer>> holds = new HashMap<>();
        if (ids.isEmpty()) {
            return holds;
        }
        try (PreparedStatement ps = c.prepareStatement("select h.reservation_id, h.data_center_id, h.participants "
                + "from reservation_hold h join reservation r on r.id = h.reservation_id where r.id in ("
                + Jdbc.marks(ids.size()) + ") and r.expires_at " + (live ? ">" : "<=") + " ?")) {
            int next = Jdbc.bind(ps, 1, ids);
            ps.setObject(next, Jdbc.time(now));
            try (ResultSet r = ps.executeQuery()) {
                while (r.next()) {
                    holds.computeIfAbsent(r.getString(1), k -> new TreeMap<>()).put(r.getString(2), r.getInt(3));
                }
            }
        }
        return holds;
    }

    /** The holds of one reservation, live or not, per data center (empty when it does not exist). */
    static Map<String, Integer> holdsOf(Connection c, String id) throws SQLException {
        Map<String, Integer> byDc = new TreeMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "select data_center_id, participants from reservation_hold where reservation_id = ?")) {
            ps.setString(1, id);
            try (ResultSet r = ps.executeQuery()) {
                while (r.next()) {
                    byDc.put(r.getString(1), r.getInt(2));
                }
            }
        }
        return byDc;
    }

    /** Sets a live reservation's expiry; whether it was live at {@code now}. */
    static boolean extend(Connection c, String id, Instant now, Instant expires) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "update reservation set expires_at = ? where id = ? and expires_at > ?")) {
            ps.setObject(1, Jdbc.time(expires));
            ps.setString(2, id);
            ps.setObject(3, Jdbc.time(now));
            return ps.executeUpdate() == 1;
        }
    }

    /** At most {@code limit} reservations expired at {@code now}, the oldest first. */
    static List<String> expired(Connection c, Instant now, int limit) throws SQLException {
        List<String> ids = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "select id from reservation where expires_at <= ? order by expires_at limit ?")) {
            ps.setObject(1, Jdbc.time(now));
            ps.setInt(2, limit);
            try (ResultSet r = ps.executeQuery()) {
                while (r.next()) {
                    ids.add(r.getString(1));
                }
            }
        }
        return ids;
    }
}
