package io.meridian.events;

import io.meridian.db.Jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/**
 * Deletes the oldest events, always a prefix of the log (so the events kept stay without gaps), and
 * notes how far it deleted, so a reader resuming from before that is told it missed some.
 */
public final class EventPruner {

    private EventPruner() {
    }

    /**
     * In the caller's transaction: deletes up to {@code chunk} of the oldest events, stopping at the
     * first one at or after {@code before}; answers how many it deleted.
     */
    public static int pruneChunk(Connection c, Instant before, int chunk) throws SQLException {
        long pruned = EventReader.prunedThrough(c);
        long through = pruned;
        int n = 0;
        try (PreparedStatement ps = c.prepareStatement(
                "select seq, at from meeting_event where seq > ? order by seq limit ?")) {
            ps.setLong(1, pruned);
            ps.setInt(2, chunk);
            try (ResultSet r = ps.executeQuery()) {
                while (r.next() && Jdbc.instant(r, 2).isBefore(before)) {
                    through = r.getLong(1);
                    n++;
                }
            }
        }
        if (n == 0) {
            return 0;
        }
        try (PreparedStatement ps = c.prepareStatement(
                "update meeting_event_retention set pruned_through = ? where id = 1 and pruned_through = ?")) {
            ps.setLong(1, through);
            ps.setLong(2, pruned);
            if (ps.executeUpdate() == 0) {
                // another replica pruned meanwhile: its chunk stands, this one is done next time
                return 0;
            }
        }
        try (PreparedStatement ps = c.prepareStatement("delete from meeting_event where seq <= ?")) {
            ps.setLong(1, through);
            return ps.executeUpdate();
        }
    }
}
