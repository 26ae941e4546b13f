package io.meridian.events;

import java.time.Instant;
import java.util.Objects;

/**
 * An event about to be appended: everything but its sequence number, which the log assigns when the
 * appending transaction takes the sequence (see {@link EventLog}).
 *
 * @param meeting the live meeting's id
 * @param owner   the principal that created the meeting; only it reads the event
 * @param type    the event's type, as the feed names it
 * @param at      when it happened
 * @param body    the event's JSON object without {@code seq}
 * @param label   the meeting's label (the client's {@code meetingId}), null when none: the feed's
 *                {@code ?meetingId=} filter reads it. {@link MeetingEvents} fills it in.
 */
public record PendingEvent(String meeting, String owner, String type, Instant at, String body, String label) {

    /** An event of a meeting without a label. */
    public PendingEvent(String meeting, String owner, String type, Instant at, String body) {
        this(meeting, owner, type, at, body, null);
    }

    public PendingEvent {
        Objects.requireNonNull(meeting, "meeting");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(body, "body");
    }
}
