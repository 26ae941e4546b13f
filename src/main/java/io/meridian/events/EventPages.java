package io.meridian.events;

import io.meridian.web.Problem;
import io.meridian.web.ProblemException;
import io.meridian.web.ProblemType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;

/**
 * The feed's reads for one request: where a reader may resume (or why not: 410 before the oldest
 * event kept, 400 after the last one, 404 for a meeting not the caller's) and one JSON page.
 */
@ApplicationScoped
public class EventPages {

    /** Header of a 410 answer: the oldest sequence number kept. */
    public static final String OLDEST_HEADER = "Meridian-Oldest-Event-Seq";

    private final DataSource dataSource;
    private final MeetingOwners owners;

    @Inject
    public EventPages(DataSource dataSource, MeetingOwners owners) {
        this.dataSource = dataSource;
        this.owners = owners;
    }

    /**
     * Checks that {@code filter} may read after {@code after}; answers where to start: {@code after},
     * or the last event deleted when {@code after} is 0 (from the oldest kept).
     */
    long start(EventFilter filter, long after, String field) {
        try (Connection c = dataSource.getConnection()) {
            if (filter.meeting().isPresent()) {
                requireOwn(c, filter);
            }
            long pruned = EventReader.prunedThrough(c);
            if (after == 0) {
                return pruned;
            }
            if (after < pruned) {
                throw expired(after, pruned);
            }
            long last = EventLog.last(c);
            if (after > last) {
                throw ProblemException.invalid(field, "is after the last event of the feed (" + last
                        + "): sequence numbers come only from events this service sent");
            }
            return after;
        } catch (SQLException e) {
            throw new IllegalStateException("The meeting event feed could not be read", e);
        }
    }

    /** One page after {@code after}, at most {@code limit} events. */
    EventReader.Page page(EventFilter filter, long after, int limit) {
        try (Connection c = dataSource.getConnection()) {
            long through = EventLog.last(c);
            EventReader.Page page = EventReader.page(c, filter, after, through, limit);
            if (EventReader.prunedThrough(c) > after) {
                // retention ran between the check and the read
                throw expired(after, EventReader.prunedThrough(c));
            }
            return page;
        } catch (SQLException e) {
            throw new IllegalStateException("The meeting event feed could not be read", e);
        }
    }

    private void requireOwn(Connection c, EventFilter filter) throws SQLException {
        String id = filter.meeting().get();
        Optional<String> owner = owners.owner(id);
        if (owner.isEmpty()) {
            owner = EventReader.ownerOf(c, id);
        }
        if (owner.isEmpty() || !owner.get().equals(filter.owner())) {
            throw EventRequests.notFound();
        }
    }

    private static ProblemException expired(long after, long pruned) {
        return new ProblemException(Problem.of(ProblemType.EVENTS_EXPIRED, "Events up to " + pruned
                + " were deleted (older than meridian.meetings.event-retention); the oldest event kept is " + (pruned + 1)
                + ". Resume with after=" + pruned + " (and rebuild the meetings' state from GET /api/v1/meetings/{id})."),
                Map.of(OLDEST_HEADER, String.valueOf(pruned + 1)));
    }
}
