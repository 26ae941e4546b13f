package io.meridian.events;

import java.util.Objects;

/**
 * The live meeting an event is about.
 *
 * @param id    the meeting's id (a ULID)
 * @param label the client's label ({@code meetingId}), null when it gave none
 * @param owner the principal that created the meeting: the only one who reads its events
 */
public record EventMeeting(String id, String label, String owner) {

    public EventMeeting {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(owner, "owner");
    }
}
