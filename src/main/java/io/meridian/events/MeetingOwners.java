package io.meridian.events;

import java.util.Optional;

/**
 * Who created a live meeting, for the feed's {@code ?meeting=} check. Implemented by live meetings
 * (which own the meeting table), so this package never reads it.
 */
public interface MeetingOwners {

    /** The principal that created the live meeting {@code id}; empty when there is no such live meeting. */
    Optional<String> owner(String id);
}
