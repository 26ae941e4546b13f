package io.meridian.meeting;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.meridian.routing.RoutingPlanResponse;
import io.meridian.web.Ids;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.List;

/** Request and response shapes of the live-meeting endpoints. */
public final class MeetingViews {

    private MeetingViews() {
    }

    /** A reservation id: a ULID, as the service makes them (the rule of {@link Ids#validUlid}). */
    static final String ULID = "^[0-7][0-9A-HJKMNP-TV-Z]{25}$";

    @Schema(name = "CreateMeetingRequest", description = "A live meeting to open: its label, account and the regions "
            + "it may use. The effective policy is fixed as for a plan: the request can only narrow the account's.")
    public record CreateRequest(
            @Schema(description = "The client's label of the meeting (its routing history is kept under it).",
                    examples = "weekly-sync-42", maxLength = 128, pattern = Ids.PATTERN)
            @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE)
            String meetingId,

            @Schema(description = "Account whose region policy applies; a meeting can only narrow it.",
                    examples = "acme", maxLength = 128, pattern = Ids.PATTERN)
            @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE)
            String accountId,

            @Schema(description = "Regions no media of this meeting may touch (codes of the model, any case).",
                    examples = "[\"CN\"]", maxItems = 64)
            @Size(max = 64) List<@NotBlank @Size(max = 16) String> blockedRegions,

            @Schema(description = "When given, the only regions media may touch. Omitted or null: every region.",
                    maxItems = 64, nullable = true)
            @Size(max = 64) List<@NotBlank @Size(max = 16) String> allowedRegions,

            @Schema(description = "Extension: a live reservation of the same caller whose places the meeting's "
                    + "participants take first (a reserving plan's reservation.id). The meeting then keeps at least "
                    + "those places until it ends, and the reservation's lease becomes the meeting's.",
                    examples = "01JD2Q7ZK3M6W1X5N8P0R4T9V2", nullable = true, pattern = ULID)
            @Pattern(regexp = ULID, message = Ids.ULID_MESSAGE)
            String reservationId) {
    }

    @Schema(name = "LiveMeeting", description = "A live meeting: who is where, how its data centers cascade, and "
            + "under which policy.")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record MeetingView(
            @Schema(description = "The service's id of the meeting (a ULID).", examples = "01JD2Q7ZK3M6W1X5N8P0R4T9V2",
                    required = true) String id,
            @Schema(description = "The client's label.", examples = "weekly-sync-42", nullable = true) String meetingId,
            @Schema(examples = "acme", nullable = true) String accountId,
            @Schema(required = true) RoutingPlanResponse.EffectivePolicyView effectivePolicy,
            @Schema(required = true) Instant createdAt,
            @Schema(description = "When the meeting ends by itself unless a join, a leave or a renewal comes first.",
                    required = true) Instant expiresAt,
            @Schema(description = "Extension: the reservation the meeting was created from.", nullable = true)
            String reservationId,
            @Schema(description = "Extension: participants present.", examples = "3", required = true)
            int participantCount,
            @Schema(description = "Everyone present, by time of joining. Only in GET /api/v1/meetings/{id}: join and "
                    + "lease answers leave it out, so their size does not grow with the meeting's.")
            List<ParticipantView> participants,
            @Schema(description = "Data centers in use, sorted by id.", required = true)
            List<RoutingPlanResponse.DataCenterUseView> dataCenters,
            @Schema(description = "Backbone links between the data centers in use.", required = true)
            List<RoutingPlanResponse.CascadeLinkView> cascadeLinks,
            @Schema(examples = "[\"EU\", \"US\"]", required = true) List<String> regionsUsed,
            @Schema(required = true) RoutingPlanResponse.SummaryView summary) {

        /** The same view with the participant list. */
        MeetingView withParticipants(List<ParticipantView> list) {
            return new MeetingView(id, meetingId, accountId, effectivePolicy, createdAt, expiresAt, reservationId,
                    participantCount, list, dataCenters, cascadeLinks, regionsUsed, summary);
        }
    }

    @Schema(name = "LiveParticipant", description = "Where one participant of a live meeting is connected.")
    public record ParticipantView(
            @Schema(examples = "alice", required = true) String participantId,
            @Schema(examples = "eu-fra", required = true) String dataCenter,
            @Schema(examples = "EU", required = true) String region,
            @Schema(description = "Access RTT to the data center in ms, measured or estimated.", examples = "9.8",
                    required = true) double estimatedRttMs,
            @Schema(description = "Extension: MEASURED when the client supplied the RTT, else ESTIMATED.",
                    enumeration = {"MEASURED", "ESTIMATED"}, required = true) String rttSource,
            @Schema(required = true) Instant joinedAt) {
    }

    @Schema(name = "JoinAnswer", description = "Where a joining participant connects, and the meeting after the join.")
    public record JoinView(
            @Schema(examples = "alice", required = true) String participantId,
            @Schema(examples = "eu-fra", required = true) String dataCenter,
            @Schema(examples = "EU", required = true) String region,
            @Schema(description = "Access RTT to the data center in ms.", examples = "9.8", required = true)
            double estimatedRttMs,
            @Schema(enumeration = {"MEASURED", "ESTIMATED"}, required = true) String rttSource,
            @Schema(description = "True when nobody of the meeting was on this data center before: the cascade was "
                    + "recomputed.", required = true) boolean openedDataCenter,
            @Schema(description = "Extension: true when the participant took a place the meeting's reservation kept.",
                    required = true) boolean usedReservedPlace,
            @Schema(description = "Extension: when the participant joined.", required = true) Instant joinedAt,
            @Schema(description = "The meeting after the join (without its participant list).", required = true)
            MeetingView meeting) {
    }
}
