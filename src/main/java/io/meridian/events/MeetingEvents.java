package io.meridian.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The typed way to make meeting events, and their one JSON encoding. Each factory answers a
 * {@link PendingEvent} to hand to {@link EventLog#append} in the transaction that makes the change:
 * <ul>
 * <li>{@link #joined} / {@link #left}: a participant joined or left (emitted by live meetings);</li>
 * <li>{@link #moved}: a participant was re-placed, {@code from} → {@code to}, for a {@link MoveReason}
 *     and an {@link EventCause} ({@link EventCause#policyChange} or {@link EventCause#dcStatus});</li>
 * <li>{@link #disconnected}: a participant could not be re-placed and was removed, with a reason such as
 *     {@link #NO_PERMITTED_CAPACITY}, its cause and where it was;</li>
 * <li>{@link #cascadeChanged}: the meeting's backbone links changed (a data center opened or emptied, or a
 *     move);</li>
 * <li>{@link #ended}: the meeting ended, for an {@link EndReason}.</li>
 * </ul>
 * Every time is truncated by nobody here: pass the transaction's clock.
 */
public final class MeetingEvents {

    /** The disconnect reason when no permitted data center had room for the participant. */
    public static final String NO_PERMITTED_CAPACITY = "NO_PERMITTED_CAPACITY";

    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    /** Why a participant was moved. */
    public enum MoveReason {
        REGION_BLOCKED, REGION_NOT_ALLOWED, DC_DOWN
    }

    /** Why a meeting ended. */
    public enum EndReason {
        ENDED, LEASE_EXPIRED
    }

    private MeetingEvents() {
    }

    public static PendingEvent joined(EventMeeting m, String participantId, EventPlace place, boolean openedDataCenter,
                                      Instant at) {
        return pending(m, new MeetingEvent(null, EventType.PARTICIPANT_JOINED.name(), at, m.id(), m.label(),
                participant(participantId), place.dataCenter(), place.region(), openedDataCenter, null, null, null,
                null, null));
    }

    public static PendingEvent left(EventMeeting m, String participantId, EventPlace place, Instant at) {
        return pending(m, new MeetingEvent(null, EventType.PARTICIPANT_LEFT.name(), at, m.id(), m.label(),
                participant(participantId), place.dataCenter(), place.region(), null, null, null, null, null, null));
    }

    public static PendingEvent moved(EventMeeting m, String participantId, EventPlace from, EventPlace to,
                                     MoveReason reason, EventCause cause, Instant at) {
        return pending(m, new MeetingEvent(null, EventType.PARTICIPANT_MOVED.name(), at, m.id(), m.label(),
                participant(participantId), null, null, null, Objects.requireNonNull(from, "from"),
                Objects.requireNonNull(to, "to"), reason.name(), Objects.requireNonNull(cause, "cause"), null));
    }

    public static PendingEvent disconnected(EventMeeting m, String participantId, String reason, EventCause cause,
                                            EventPlace from, Instant at) {
        return pending(m, new MeetingEvent(null, EventType.PARTICIPANT_DISCONNECTED.name(), at, m.id(), m.label(),
                participant(participantId), null, null, null, Objects.requireNonNull(from, "from"), null,
                Objects.requireNonNull(reason, "reason"), Objects.requireNonNull(cause, "cause"), null));
    }

    public static PendingEvent cascadeChanged(EventMeeting m, List<EventCascadeLink> links, Instant at) {
        return pending(m, new MeetingEvent(null, EventType.CASCADE_CHANGED.name(), at, m.id(), m.label(), null, null,
                null, null, null, null, null, null, List.copyOf(links)));
    }

    public static PendingEvent ended(EventMeeting m, EndReason reason, Instant at) {
        return pending(m, new MeetingEvent(null, EventType.MEETING_ENDED.name(), at, m.id(), m.label(), null, null,
                null, null, null, null, reason.name(), null, null));
    }

    /** The event's JSON, as stored (without seq when it has none) and served. */
    public static String json(MeetingEvent event) {
        try {
            return JSON.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A meeting event could not be written as JSON", e);
        }
    }

    private static String participant(String id) {
        return Objects.requireNonNull(id, "participantId");
    }

    private static PendingEvent pending(EventMeeting m, MeetingEvent event) {
        Objects.requireNonNull(event.at(), "at");
        return new PendingEvent(m.id(), m.owner(), event.type(), event.at(), json(event), m.label());
    }
}
