package io.meridian.ledger;

import io.meridian.db.Jdbc;
import io.meridian.db.Pipeline;

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

    /**
     * Reads the holders among the given meetings into {@code rows}, with their place rows into
     * {@code places} (meeting → data center → row): one statement.
     */
    static void holders(Pipeline p, Collection<String> meetingIds, Map<String, HolderRow> rows,
                        Map<String, Map<String, PlaceRow>> places) {
        if (meetingIds.isEmpty()) {
            return;
        }
        p.query("select m.meeting_id, m.expires_at, m.reservation_id, h.data_center_id, h.places, h.reserved_floor "
                + "from live_holder m left join live_hold h on h.meeting_id = m.meeting_id "
                + "where m.meeting_id = any(?)", b -> b.texts(meetingIds), r -> {
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
                });
    }

    /** The holds of the given reservations: reservation → data center → places left. */
    static Map<String, Map<String, Integer>> reservationPlaces(Connection c, Collection<String> reservationIds)
            throws SQLException {
        Map<String, Map<String, Integer>> holds = new HashMap<>();
        if (reservationIds.isEmpty()) {
            return holds;
        }
        Pipeline p = Pipeline.on(c);
        p.query("select reservation_id, data_center_id, participants from reservation_hold "
                + "where reservation_id = any(?)", b -> b.texts(reservationIds), r -> {
                    while (r.next()) {
                        holds.computeIfAbsent(r.getString(1), k -> new TreeMap<>()).put(r.getString(2), r.getInt(3));
                    }
                });
        p.run();
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
    record PlaceWrite(String meetingId, String dataCenter, int places, int floor) {
    }

    /** Place rows as they are now: one statement inserts the new, updates the stored, deletes the emptied. */
    static void writePlaces(Pipeline p, List<PlaceWrite> writes) {
        if (writes.isEmpty()) {
            return;
        }
        p.update("merge into live_hold h using (select * from unnest(?, ?, ?, ?) "
                + "as u(meeting_id, data_center_id, places, reserved_floor)) u "
                + "on h.meeting_id = u.meeting_id and h.data_center_id = u.data_center_id "
                + "when matched and u.places = 0 and u.reserved_floor = 0 then delete "
                + "when matched then update set places = u.places, reserved_floor = u.reserved_floor "
                + "when not matched and (u.places > 0 or u.reserved_floor > 0) then insert "
                + "(meeting_id, data_center_id, places, reserved_floor) "
                + "values (u.meeting_id, u.data_center_id, u.places, u.reserved_floor)", b -> b
                .texts(Pipeline.column(writes, PlaceWrite::meetingId))
                .texts(Pipeline.column(writes, PlaceWrite::dataCenter))
                .integers(Pipeline.column(writes, PlaceWrite::places))
                .integers(Pipeline.column(writes, PlaceWrite::floor)));
    }

    /** Places left in reservations: reservation → data center → places. */
    static void writeReservationPlaces(Pipeline p, Map<String, Map<String, Integer>> left) {
        List<String> reservations = new ArrayList<>();
        List<String> sites = new ArrayList<>();
        List<Integer> places = new ArrayList<>();
        left.forEach((r, byDc) -> byDc.forEach((dc, n) -> {
            reservations.add(r);
            sites.add(dc);
            places.add(n);
        }));
        if (reservations.isEmpty()) {
            return;
        }
        p.update("merge into reservation_hold h using (select * from unnest(?, ?, ?) "
                + "as u(reservation_id, data_center_id, participants)) u "
                + "on h.reservation_id = u.reservation_id and h.data_center_id = u.data_center_id "
                + "when matched then update set participants = u.participants", b -> b
                .texts(reservations).texts(sites).integers(places));
    }

    /** New leases of holders, and of the reservations they were created from. */
    static void renew(Pipeline p, Map<String, Instant> holders, Map<String, Instant> reservations) {
        renew(p, "live_holder", "meeting_id", holders);
        renew(p, "reservation", "id", reservations);
    }

    private static void renew(Pipeline p, String table, String key, Map<String, Instant> leases) {
        if (leases.isEmpty()) {
            return;
        }
        Map<String, Instant> sorted = new TreeMap<>(leases);
        p.update("merge into " + table + " t using (select * from unnest(?, ?) as u(id, expires_at)) u on t." + key
                + " = u.id when matched then update set expires_at = u.expires_at", b -> b
                .texts(sorted.keySet()).times(sorted.values()));
    }

    /** Removes holders with all their places, and the reservations they were created from. */
    static void delete(Pipeline p, Set<String> meetingIds, Set<String> reservationIds) {
        if (!meetingIds.isEmpty()) {
            p.update("delete from live_hold where meeting_id = any(?)", b -> b.texts(meetingIds));
            p.update("delete from live_holder where meeting_id = any(?)", b -> b.texts(meetingIds));
        }
        if (!reservationIds.isEmpty()) {
            p.update("delete from reservation where id = any(?)", b -> b.texts(reservationIds));
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
