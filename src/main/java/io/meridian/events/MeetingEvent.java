package io.meridian.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.List;

/**
 * One meeting event as the feed serves it: the one JSON shape of every type, members a type does not
 * use left out ({@code meetingId} is always there, null when the meeting has no label). Stored
 * without {@code seq}, which the log assigns (see {@link EventLog}); build one with
 * {@link MeetingEvents}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"seq", "type", "at", "meeting", "meetingId", "participantId", "dataCenter", "region",
        "openedDataCenter", "from", "to", "reason", "cause", "cascadeLinks"})
@Schema(name = "MeetingEvent", description = "Something that happened in a live meeting of the caller. Members a type "
        + "does not use are left out.")
public record MeetingEvent(
        @Schema(description = "Position in the feed: strictly increasing, without gaps among the events kept.",
                examples = "42", required = true) Long seq,
        @Schema(enumeration = {"PARTICIPANT_JOINED", "PARTICIPANT_LEFT", "PARTICIPANT_MOVED",
                "PARTICIPANT_DISCONNECTED", "CASCADE_CHANGED", "MEETING_ENDED"}, required = true) String type,
        @Schema(description = "When it happened (RFC 3339).", required = true) Instant at,
        @Schema(description = "The live meeting's id.", examples = "01JD2Q7ZK3M6W1X5N8P0R4T9V2", required = true)
        String meeting,
        @Schema(description = "The client's label of the meeting; null when it has none.", examples = "weekly-sync-42",
                nullable = true, required = true)
        @JsonInclude(JsonInclude.Include.ALWAYS) String meetingId,
        @Schema(description = "The participant concerned (all types but CASCADE_CHANGED and MEETING_ENDED).",
                examples = "alice") String participantId,
        @Schema(description = "PARTICIPANT_JOINED, PARTICIPANT_LEFT: the participant's data center.",
                examples = "eu-fra") String dataCenter,
        @Schema(description = "PARTICIPANT_JOINED, PARTICIPANT_LEFT: that data center's region.", examples = "EU")
        String region,
        @Schema(description = "PARTICIPANT_JOINED: true when nobody of the meeting was on that data center before.")
        Boolean openedDataCenter,
        @Schema(description = "PARTICIPANT_MOVED, PARTICIPANT_DISCONNECTED: where the participant was.")
        EventPlace from,
        @Schema(description = "PARTICIPANT_MOVED: where it connects now.") EventPlace to,
        @Schema(description = "PARTICIPANT_MOVED: REGION_BLOCKED, REGION_NOT_ALLOWED or DC_DOWN; "
                + "PARTICIPANT_DISCONNECTED: e.g. NO_PERMITTED_CAPACITY; MEETING_ENDED: ENDED or LEASE_EXPIRED.",
                examples = "ENDED") String reason,
        @Schema(description = "PARTICIPANT_MOVED, PARTICIPANT_DISCONNECTED: the change that caused it.")
        EventCause cause,
        @Schema(description = "CASCADE_CHANGED: the meeting's backbone links now (empty when one data center or none "
                + "is left).") List<EventCascadeLink> cascadeLinks) {
}
