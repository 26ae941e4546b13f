package io.meridian.events;

import io.meridian.db.Jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads the event log in sequence order, inside no transaction of its own. Every read is bounded by
 * a sequence number {@code through} the caller read from {@link EventLog#last} before: numbers are
 * given in commit order, so every event up to it is committed and visible, and a reader that goes
 * on after {@code through} never misses one committed later.
 */
public final class EventReader {

    private static final String COLUMNS = "select seq, owner, meeting_id, label, type, at, body from meeting_event ";

    private EventReader() {
    }

    /** One page of what {@code filter} sees: events after {@code after}, up to {@code through}, at most {@code limit}. */
    public static Page page(Connection c, EventFilter filter, long after, long through, int limit) throws SQLException {
        StringBuilder sql = new StringBuilder(COLUMNS).append("where owner = ?");
        filter.meeting().ifPresent(m -> sql.append(" and meeting_id = ?"));
        filter.label().ifPresent(l -> sql.append(" and label = ?"));
        sql.append(" and seq > ? and seq <= ? order by seq limit ?");
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            int i = 1;
            ps.setString(i++, filter.owner());
            if (filter.meeting().isPresent()) {
                ps.setString(i++, filter.meeting().get());
            }
            if (filter.label().isPresent()) {
                ps.setString(i++, filter.label().get());
            }
            ps.setLong(i++, after);
            ps.setLong(i++, through);
            ps.setInt(i, limit);
            List<StoredEvent> events = read(ps);
            // a full page goes on after its last event; a shorter one saw everything up to through
            long next = events.size() == limit ? events.get(events.size() - 1).seq() : Math.max(after, through);
            return new Page(events, next);
        }
    }

    /** Every owner's events after {@code after}, up to {@code through}, at most {@code limit}. */
    public static List<StoredEvent> all(Connection c, long after, long through, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(COLUMNS + "where seq > ? and seq <= ? order by seq limit ?")) {
            ps.setLong(1, after);
            ps.setLong(2, through);
            ps.setInt(3, limit);
            return read(ps);
        }
    }

    /** The owner of the events kept of meeting {@code meeting}, if any are kept. */
    public static Optional<String> ownerOf(Connection c, String meeting) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select owner from meeting_event where meeting_id = ? limit 1")) {
            ps.setString(1, meeting);
            try (ResultSet r = ps.executeQuery()) {
                return r.next() ? Optional.of(r.getString(1)) : Optional.empty();
            }
        }
    }

    /** The highest sequence number retention deleted, 0 when none: the oldest kept is the next one. */
    public static long prunedThrough(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select pruned_through from meeting_event_retention where id = 1");
             ResultSet r = ps.executeQuery()) {
            return r.next() ? r.getLong(1) : 0;
        }
    }

    private static List<StoredEvent> read(PreparedStatement ps) throws SQLException {
        List<StoredEvent> events = new ArrayList<>();
        try (ResultSet r = ps.executeQuery()) {
            while (r.next()) {
                long at = ChronoUnit.MICROS.between(Instant.EPOCH, Jdbc.instant(r, 6));
                events.add(new StoredEvent(r.getLong(1), r.getString(2), r.getString(3), r.getString(4),
                        r.getString(5), at, r.getString(7)));
            }
        }
        return events;
    }

    /**
     * A page of events.
     *
     * @param next where the next page starts ({@code after} it): the last event's seq when the page is
     *             full, else the {@code through} it was read up to
     */
    public record Page(List<StoredEvent> events, long next) {
    }
}
