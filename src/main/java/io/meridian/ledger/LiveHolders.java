package io.meridian.ledger;

import io.meridian.db.Jdbc;
import io.meridian.db.Pipeline;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** New live meetings as holders of places: with their lease, and the reservation they take over. */
final class LiveHolders {

    private LiveHolders() {
    }

    /** Opens a holder for a new meeting (see {@link CapacityLedger#open}). */
    static void open(Connection c, String meetingId, Instant expires) throws SQLException {
        LiveSql.insertHolder(c, meetingId, expires, null);
    }

    /**
     * Opens a holder for a new meeting created from a reservation of the same caller: the
     * reservation's places become the meeting's floor. Empty when the reservation is not a live one
     * of this caller, or another meeting was created from it.
     */
    static Optional<Map<String, Integer>> claim(Connection c, String meetingId, Instant expires, String reservationId,
                                                String caller, Instant now, Duration lockWait)
            throws SQLException {
        Map<String, Integer> places = ReservationSql.holdsOf(c, reservationId);
        if (places.isEmpty()) {
            return Optional.empty();
        }
        Jdbc.limitLockWait(c, lockWait);
        Sites.lock(c, places.keySet());
        // under the sites' locks nobody releases, expires or claims it meanwhile
        if (!ownLive(c, reservationId, caller, now) || LiveSql.claimedBy(c, reservationId).isPresent()) {
            return Optional.empty();
        }
        places = ReservationSql.holdsOf(c, reservationId);
        LiveSql.insertHolder(c, meetingId, expires, reservationId);
        List<LiveSql.PlaceWrite> floors = new ArrayList<>();
        places.forEach((dc, n) -> floors.add(new LiveSql.PlaceWrite(meetingId, dc, 0, n)));
        Pipeline p = Pipeline.on(c);
        LiveSql.writePlaces(p, floors);
        LiveSql.renew(p, Map.of(), Map.of(reservationId, expires));
        p.run();
        return Optional.of(places);
    }

    private static boolean ownLive(Connection c, String reservationId, String caller, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "select 1 from reservation where id = ? and created_by = ? and expires_at > ?")) {
            ps.setString(1, reservationId);
            ps.setString(2, caller);
            ps.setObject(3, Jdbc.time(now));
            try (ResultSet r = ps.executeQuery()) {
                return r.next();
            }
        }
    }
}
