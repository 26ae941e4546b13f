package io.meridian.events;

import io.meridian.db.Pipeline;

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
        Pipeline p = Pipeline.on(c);
        append(p, events);
        p.run();
        return last(c);
    }

    /**
     * {@link #append(Connection, List)} as statements of a pipeline: the counter first, then the
     * events numbered from what it was (the counter's row stays locked until the commit).
     */
    public static void append(Pipeline p, List<PendingEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        int n = events.size();
        p.update("update meeting_event_sequence set last_seq = last_seq + ? where id = 1", b -> b.bigint(n));
        List<Long> back = new java.util.ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            back.add((long) (n - 1 - i));
        }
        p.update("insert into meeting_event (seq, meeting_id, owner, at, type, body, label) "
                + "select s.last_seq - u.back, u.meeting_id, u.owner, u.at, u.type, u.body, u.label "
                + "from meeting_event_sequence s, unnest(?, ?, ?, ?, ?, ?, ?) "
                + "as u(back, meeting_id, owner, at, type, body, label) where s.id = 1", b -> b
                .bigints(back)
                .texts(Pipeline.column(events, PendingEvent::meeting))
                .texts(Pipeline.column(events, PendingEvent::owner))
                .times(Pipeline.column(events, PendingEvent::at))
                .texts(Pipeline.column(events, PendingEvent::type))
                .texts(Pipeline.column(events, PendingEvent::body))
                .texts(Pipeline.column(events, PendingEvent::label)));
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
