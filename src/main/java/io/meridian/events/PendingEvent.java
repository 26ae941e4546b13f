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
 */
public record PendingEvent(String meeting, String owner, String type, Instant at, String body) {

    public PendingEvent {
        Objects.requireNonNull(meeting, "meeting");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(body, "body");
    }
}
