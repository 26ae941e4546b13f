package io.meridian.events;

import io.meridian.db.Jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * Appends meeting events inside the caller's transaction, so an event exists exactly when the change
 * it reports was committed. Sequence numbers come from one counter row whose lock the transaction
 * keeps until it commits: numbers are therefore handed out in commit order, and a reader that has
 * seen {@code n} can resume after {@code n} without ever missing one committed later with a smaller
 * number. Call it as the transaction's last statement, so the counter is held as briefly as possible.
 */
public final class EventLog {

    private EventLog() {
    }

    /**
     * Numbers and inserts the events in list order; returns the last sequence number given, or the
     * current last one when the list is empty (nothing is locked then).
     */
    public static long append(Connection c, List<PendingEvent> events) throws SQLException {
        if (events.isEmpty()) {
            return last(c);
        }
        try (PreparedStatement ps = c.prepareStatement(
                "update meeting_event_sequence set last_seq = last_seq + ? where id = 1")) {
            ps.setLong(1, events.size());
            ps.executeUpdate();
        }
        long last = last(c);
        long seq = last - events.size();
        try (PreparedStatement ps = c.prepareStatement(
                "insert into meeting_event (seq, meeting_id, owner, at, type, body, label) values (?, ?, ?, ?, ?, ?, ?)")) {
            for (PendingEvent e : events) {
                ps.setLong(1, ++seq);
                ps.setString(2, e.meeting());
                ps.setString(3, e.owner());
                ps.setObject(4, Jdbc.time(e.at()));
                ps.setString(5, e.type());
                ps.setString(6, e.body());
                ps.setString(7, e.label());
                ps.addBatch();
            }
            ps.executeBatch();
        }
        return last;
    }

    /** The last sequence number committed (or taken by this transaction). */
    public static long last(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select last_seq from meeting_event_sequence where id = 1");
             ResultSet r = ps.executeQuery()) {
            r.next();
            return r.getLong(1);
        }
    }
}
