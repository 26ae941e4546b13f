package io.meridian.rerouting;

import io.meridian.catalog.CapacityView;
import io.meridian.core.RegionPolicy;
import io.meridian.policy.RegionPolicyService;
import io.meridian.policy.RegionPolicyViews;
import io.meridian.security.AccountScope;
import io.meridian.security.Roles;
import io.meridian.web.Ids;
import io.meridian.web.Problem;
import io.meridian.web.ProblemMapper;
import io.meridian.web.RequestValidation;
import io.meridian.web.Security;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

/**
 * {@code POST /api/v1/accounts/{accountId}/region-policy/what-if}: the moves a region-policy change
 * would cause in the account's live meetings now, before anyone saves it. Nothing is stored or held.
 */
@Path("/api/v1/accounts/{accountId}/region-policy/what-if")
@Tag(name = "Account region policy")
@RolesAllowed(Roles.REGION_ADMIN)
@SecurityRequirement(name = Security.BEARER)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@APIResponse(responseCode = "400", description = "Invalid account id or policy.",
        content = @Content(mediaType = ProblemMapper.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "401", ref = Security.UNAUTHORIZED)
@APIResponse(responseCode = "403", ref = Security.FORBIDDEN)
public class WhatIfResource {

    /** Most meetings a what-if looks at; the answer says when there were more. */
    static final int MAX_MEETINGS = 1000;

    private final RegionPolicyService policies;
    private final LiveMeetings meetings;
    private final CapacityView capacity;
    private final AccountScope scope;
    private final RequestValidation validation;

    @Inject
    public WhatIfResource(RegionPolicyService policies, LiveMeetings meetings, CapacityView capacity,
                          AccountScope scope, RequestValidation validation) {
        this.policies = policies;
        this.meetings = meetings;
        this.capacity = capacity;
        this.scope = scope;
        this.validation = validation;
    }

    @Schema(name = "RegionPolicyWhatIf", description = "The moves a region-policy change would cause now.")
    public record WhatIf(
            @Schema(description = "Live meetings of the account using a region the policy would forbid (as the "
                    + "Meridian-Live-Meetings-Affected header of the real change would say).", examples = "2")
            int liveMeetingsAffected,
            @Schema(description = "True when more meetings are affected than the answer looks at (1000).")
            boolean truncated,
            @Schema(description = "Each participant that would leave its data center, by meeting and participant id.")
            List<WouldMove> moves) {
    }

    @Schema(name = "RegionPolicyWhatIfMove", description = "One participant that would leave its data center.")
    public record WouldMove(
            @Schema(description = "The live meeting's id.", examples = "01JD2Q4W8Z3K9V6T5R4E3W2Q1A") String meeting,
            @Schema(description = "The meeting's client label.", nullable = true, examples = "weekly-sync-42")
            String meetingId,
            @Schema(examples = "alice") String participantId,
            Place from,
            @Schema(description = "Where it would go; null when it would be disconnected.", nullable = true) Place to,
            @Schema(description = "MOVED or DISCONNECTED.", enumeration = {"MOVED", "DISCONNECTED"}, examples = "MOVED")
            String outcome,
            @Schema(description = "Why it leaves (REGION_BLOCKED, REGION_NOT_ALLOWED, DC_DOWN) or, disconnected, why "
                    + "it could not be placed (NO_PERMITTED_CAPACITY, NO_PERMITTED_REGION).", examples = "REGION_BLOCKED")
            String reason) {
    }

    @Schema(name = "RegionPolicyWhatIfPlace", description = "A data center and its region.")
    public record Place(@Schema(examples = "in-bom") String dataCenter, @Schema(examples = "IN") String region) {
    }

    @POST
    @Operation(operationId = "whatIfRegionPolicy", summary = "Preview the moves a region-policy change would cause",
            description = "Validates the policy as PUT does and answers, for the account's live meetings now, every "
                    + "participant that would have to leave its data center and where it would go (the move rule of "
                    + "live re-routing, each meeting against the capacity of now). Nothing is stored, held or moved; "
                    + "no If-Match is needed.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = RegionPolicyViews.Input.class)))
    @APIResponse(responseCode = "200", description = "The moves the change would cause.",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = WhatIf.class)))
    public WhatIf whatIf(@Parameter(description = "Account id.", example = "acme") @PathParam("accountId") String accountId,
                         RegionPolicyViews.Input input) {
        Ids.require("accountId", accountId);
        scope.requireAccount(accountId);
        validation.require(input);
        RegionPolicy.Restriction proposed = policies.proposed(accountId, input);
        List<LiveMeetings.Preview> previews = meetings.preview(accountId, proposed, capacity.snapshot(),
                MAX_MEETINGS + 1);
        long affected = previews.stream().map(LiveMeetings.Preview::meeting).distinct().count();
        boolean truncated = affected > MAX_MEETINGS;
        String last = truncated ? previews.stream().map(LiveMeetings.Preview::meeting).max(String::compareTo)
                .orElseThrow() : null;
        List<WouldMove> moves = previews.stream().filter(p -> !p.meeting().equals(last)).map(p -> new WouldMove(
                p.meeting(), p.meetingId(), p.participantId(), new Place(p.fromDataCenter(), p.fromRegion()),
                p.toDataCenter().map(dc -> new Place(dc, p.toRegion().orElseThrow())).orElse(null),
                p.toDataCenter().isPresent() ? "MOVED" : "DISCONNECTED", p.reason())).toList();
        return new WhatIf((int) Math.min(affected, MAX_MEETINGS), truncated, moves);
    }
}
