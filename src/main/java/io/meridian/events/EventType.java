package io.meridian.events;

/** The types of meeting events, as the feed names them. */
public enum EventType {
    PARTICIPANT_JOINED,
    PARTICIPANT_LEFT,
    PARTICIPANT_MOVED,
    PARTICIPANT_DISCONNECTED,
    CASCADE_CHANGED,
    MEETING_ENDED
}
