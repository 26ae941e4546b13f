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
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/** The statements on the live tables ({@code live_holder}, {@code live_hold}): batched, a few per transaction. */
final class LiveSql {

    private LiveSql() {
    }

    /** One holder's stored row and places. */
    record HolderRow(String meetingId, Instant expiresAt, Optional<String> reservationId) {
    }

    /** One stored place row of a holder. */
    record PlaceRow(int places, int floor) {
    }

    /** The holders among the given meetings, with their place rows (meeting → data center → row): one statement. */
    static Map<String, HolderRow> holders(Connection c, Collection<String> meetingIds,
                                          Map<String, Map<String, PlaceRow>> places) throws SQLException {
        Map<String, HolderRow> rows = new HashMap<>();
        if (meetingIds.isEmpty()) {
            return rows;
        }
        try (PreparedStatement ps = c.prepareStatement("select m.meeting_id, m.expires_at, m.reservation_id, "
                + "h.data_center_id, h.places, h.reserved_floor from live_holder m left join live_hold h "
                + "on h.meeting_id = m.meeting_id where m.meeting_id in (" + Jdbc.marks(meetingIds.size()) + ")")) {
            Jdbc.bind(ps, 1, meetingIds);
            try (ResultSet r = ps.executeQuery()) {
                while (r.next()) {
                    String id = r.getString(1);
                    if (!rows.containsKey(id)) {
                        rows.put(id, new HolderRow(id, Jdbc.instant(r, 2), Optional.ofNullable(r.getString(3))));
                    }
                    String dc = r.getString(4);
                    if (dc != null) {
                        places.computeIfAbsent(id, k -> new TreeMap<>()).put(dc, new PlaceRow(r.getInt(5), r.getInt(6)));
                    }
                }
            }
        }
        return rows;
    }

    /** The holds of the given reservations: reservation → data center → places left. */
    static Map<String, Map<String, Integer>> reservationPlaces(Connection c, Collection<String> reservationIds)
            throws SQLException {
        Map<String, Map<String, Integer>> holds = new HashMap<>();
        if (reservationIds.isEmpty()) {
            return holds;
        }
        try (PreparedStatement ps = c.prepareStatement("select reservation_id, data_center_id, participants "
                + "from reservation_hold where reservation_id in (" + Jdbc.marks(reservationIds.size()) + ")")) {
            Jdbc.bind(ps, 1, reservationIds);
            try (ResultSet r = ps.executeQuery()) {
                while (r.next()) {
                    holds.computeIfAbsent(r.getString(1), k -> new TreeMap<>()).put(r.getString(2), r.getInt(3));
                }
            }
        }
        return holds;
    }

    static void insertHolder(Connection c, String meetingId, Instant expires, String reservationId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "insert into live_holder (meeting_id, expires_at, reservation_id) values (?, ?, ?)")) {
            ps.setString(1, meetingId);
            ps.setObject(2, Jdbc.time(expires));
            ps.setString(3, reservationId);
            ps.executeUpdate();
        }
    }

    /** One place row to write: inserted, updated or (places and floor 0) deleted. */
    record PlaceWrite(String meetingId, String dataCenter, int places, int floor, boolean stored) {
    }

    static void writePlaces(Connection c, List<PlaceWrite> writes) throws SQLException {
        List<PlaceWrite> inserts = new ArrayList<>();
        List<PlaceWrite> updates = new ArrayList<>();
        List<PlaceWrite> deletes = new ArrayList<>();
        for (PlaceWrite w : writes) {
            boolean empty = w.places() == 0 && w.floor() == 0;
            if (!w.stored()) {
                if (!empty) {
                    inserts.add(w);
                }
            } else if (empty) {
                deletes.add(w);
            } else {
                updates.add(w);
            }
        }
        batch(c, "insert into live_hold (places, reserved_floor, meeting_id, data_center_id) values (?, ?, ?, ?)", inserts);
        batch(c, "update live_hold set places = ?, reserved_floor = ? where meeting_id = ? and data_center_id = ?", updates);
        if (!deletes.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement(
                    "delete from live_hold where meeting_id = ? and data_center_id = ?")) {
                for (PlaceWrite w : deletes) {
                    ps.setString(1, w.meetingId());
                    ps.setString(2, w.dataCenter());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
    }

    private static void batch(Connection c, String sql, List<PlaceWrite> writes) throws SQLException {
        if (writes.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (PlaceWrite w : writes) {
                ps.setInt(1, w.places());
                ps.setInt(2, w.floor());
                ps.setString(3, w.meetingId());
                ps.setString(4, w.dataCenter());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** Places left in reservations: reservation → data center → places. */
    static void writeReservationPlaces(Connection c, Map<String, Map<String, Integer>> left) throws SQLException {
        if (left.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(
                "update reservation_hold set participants = ? where reservation_id = ? and data_center_id = ?")) {
            for (Map.Entry<String, Map<String, Integer>> r : left.entrySet()) {
                for (Map.Entry<String, Integer> place : r.getValue().entrySet()) {
                    ps.setInt(1, place.getValue());
                    ps.setString(2, r.getKey());
                    ps.setString(3, place.getKey());
                    ps.addBatch();
                }
            }
            ps.executeBatch();
        }
    }

    /** New leases of holders, and of the reservations they were created from. */
    static void renew(Connection c, Map<String, Instant> holders, Map<String, Instant> reservations) throws SQLException {
        renew(c, "update live_holder set expires_at = ? where meeting_id = ?", holders);
        renew(c, "update reservation set expires_at = ? where id = ?", reservations);
    }

    private static void renew(Connection c, String sql, Map<String, Instant> leases) throws SQLException {
        if (leases.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (Map.Entry<String, Instant> e : new TreeMap<>(leases).entrySet()) {
                ps.setObject(1, Jdbc.time(e.getValue()));
                ps.setString(2, e.getKey());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** Removes holders with all their places, and the reservations they were created from. */
    static void delete(Connection c, Set<String> meetingIds, Set<String> reservationIds) throws SQLException {
        for (String sql : List.of("delete from live_hold where meeting_id in (", "delete from live_holder where meeting_id in (")) {
            deleteIn(c, sql, meetingIds);
        }
        deleteIn(c, "delete from reservation where id in (", reservationIds);
    }

    private static void deleteIn(Connection c, String sql, Set<String> ids) throws SQLException {
        if (ids.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(sql + Jdbc.marks(ids.size()) + ")")) {
            Jdbc.bind(ps, 1, ids);
            ps.executeUpdate();
        }
    }

    /**
     * After reservations were released on their own: the meetings created from them keep their
     * participants, but no longer a floor of reserved places.
     */
    static void unbind(Connection c, Set<String> reservationIds) throws SQLException {
        if (reservationIds.isEmpty()) {
            return;
        }
        String in = Jdbc.marks(reservationIds.size());
        try (PreparedStatement ps = c.prepareStatement("update live_hold set reserved_floor = 0 where meeting_id in "
                + "(select meeting_id from live_holder where reservation_id in (" + in + "))")) {
            Jdbc.bind(ps, 1, reservationIds);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("delete from live_hold where places = 0 and reserved_floor = 0 "
                + "and meeting_id in (select meeting_id from live_holder where reservation_id in (" + in + "))")) {
            Jdbc.bind(ps, 1, reservationIds);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("update live_holder set reservation_id = null "
                + "where reservation_id in (" + in + ")")) {
            Jdbc.bind(ps, 1, reservationIds);
            ps.executeUpdate();
        }
    }

    /** The meeting that was created from a reservation, if one was. */
    static Optional<String> claimedBy(Connection c, String reservationId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select meeting_id from live_holder where reservation_id = ?")) {
            ps.setString(1, reservationId);
            try (ResultSet r = ps.executeQuery()) {
                return r.next() ? Optional.of(r.getString(1)) : Optional.empty();
            }
        }
    }

    /** At most {@code limit} holders whose lease ran out at {@code now}, the oldest first. */
    static List<String> expired(Connection c, Instant now, int limit) throws SQLException {
        List<String> ids = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "select meeting_id from live_holder where expires_at <= ? order by expires_at limit ?")) {
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
