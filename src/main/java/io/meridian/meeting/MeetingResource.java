package io.meridian.meeting;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.meridian.core.Participant;
import io.meridian.idempotency.IdempotentAnswers;
import io.meridian.routing.PolicyMapper;
import io.meridian.routing.Refusals;
import io.meridian.routing.RoutingPlanRequest;
import io.meridian.security.AccountScope;
import io.meridian.security.Roles;
import io.meridian.web.Problem;
import io.meridian.web.ProblemException;
import io.meridian.web.ProblemMapper;
import io.meridian.web.ProblemType;
import io.meridian.web.Security;
import io.meridian.web.TransientFailures;
import io.smallrye.common.annotation.NonBlocking;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * {@code /api/v1/meetings}: live meetings, join by join. A meeting belongs to the caller that
 * created it (the token's subject): to anyone else it does not exist (404, the same answer as for an
 * unknown meeting, so ids of other callers' meetings cannot be probed).
 */
@Path("/api/v1/meetings")
@Tag(name = "Live meetings")
@RolesAllowed(Roles.MEETING_CLIENT)
@SecurityRequirement(name = Security.BEARER)
@Produces(MediaType.APPLICATION_JSON)
@APIResponse(responseCode = "401", ref = Security.UNAUTHORIZED)
@APIResponse(responseCode = "403", ref = Security.FORBIDDEN)
@APIResponse(responseCode = "503", description = "temporarily-unavailable: the database is unreachable or its rows "
        + "stayed locked longer than meridian.reservation.lock-timeout; nothing was changed. Retry after Retry-After.",
        headers = @Header(name = "Retry-After", description = "Seconds after which a retry may succeed.",
                schema = @Schema(type = SchemaType.INTEGER)),
        content = @Content(mediaType = ProblemMapper.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
public class MeetingResource {

    private final MeetingRequests requests;
    private final MeetingCreator creator;
    private final MeetingCommitter committer;
    private final MeetingReader reader;
    private final Refusals refusals;
    private final MeetingMetrics metrics;
    private final AccountScope scope;
    private final ObjectReader createReader;

    @Inject
    public MeetingResource(MeetingRequests requests, MeetingCreator creator, MeetingCommitter committer,
                           MeetingReader reader, Refusals refusals, MeetingMetrics metrics, AccountScope scope,
                           ObjectMapper mapper) {
        this.requests = requests;
        this.creator = creator;
        this.committer = committer;
        this.reader = reader;
        this.refusals = refusals;
        this.metrics = metrics;
        this.scope = scope;
        this.createReader = mapper.readerFor(MeetingViews.CreateRequest.class);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "createMeeting", summary = "Open a live meeting",
            description = "Opens a meeting that participants then join one by one. Its effective policy is fixed as "
                    + "for a plan: the request's restriction narrowed by the account's policy. With reservationId, the "
                    + "meeting takes over a reserving plan's places: its participants take them first, and it keeps at "
                    + "least those places until it ends. The meeting ends by itself when its lease "
                    + "(meridian.meetings.lease) runs out without a join, a leave or a renewal.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = MeetingViews.CreateRequest.class)))
    @APIResponse(responseCode = "201", description = "The meeting (a retry with the same Idempotency-Key and body: "
            + "the first answer).", headers = @Header(name = "Location", description = "The meeting's URL.",
            schema = @Schema(type = SchemaType.STRING)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = MeetingViews.MeetingView.class)))
    @APIResponse(responseCode = "400", description = "Malformed JSON, a constraint violation, an unknown region, or a "
            + "reservationId that is not a live reservation of this caller (or already has a meeting).",
            content = @Content(mediaType = ProblemMapper.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "415", description = "The body is not sent as application/json.",
            content = @Content(mediaType = ProblemMapper.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "no-permitted-region: the effective policy leaves no region with "
            + "a data center; or the Idempotency-Key was used for a different body.",
            content = @Content(mediaType = ProblemMapper.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    public Response create(
            @Parameter(description = "Makes a retried create return the first meeting instead of opening another. Up "
                    + "to 200 printable characters; reused with a different body: 422.")
            @HeaderParam("Idempotency-Key") String idempotencyKey,
            @HeaderParam("Content-Type") String contentType, byte[] body) throws IOException {
        requireJson(contentType, body);
        String caller = scope.caller();
        Optional<IdempotentAnswers.Key> key = IdempotentAnswers.of(caller, idempotencyKey, body == null ? new byte[0] : body);
        MeetingViews.CreateRequest request = body == null || body.length == 0 ? null : createReader.readValue(body);
        PolicyMapper.Effective policy = requests.policy(request);
        if (!requests.permitsSomeRegion(policy.policy())) {
            throw refusals.noRegion(policy.policy());
        }
        MeetingCreator.Created created = creator.create(request, requests.restriction(request), policy, caller, key);
        // a relative Location: never built from the request's Host header
        return Response.status(Response.Status.CREATED).header("Location", "/api/v1/meetings/" + created.meeting().id())
                .entity(created.meeting()).build();
    }

    @POST
    @Path("/{id}/participants")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "joinMeeting", summary = "A participant joins",
            description = "Places the joining participant: the first on its best eligible data center; a later one on "
                    + "the meeting's best data center in use, unless opening another eligible one lowers its worst "
                    + "pair latency by at least meridian.routing.cascade-min-gain-ms, or none in use has room. Nobody "
                    + "already in the meeting moves. The participant holds one place on its data center until it "
                    + "leaves or the meeting ends. Renews the lease.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = RoutingPlanRequest.Participant.class)))
    @APIResponse(responseCode = "201", description = "Placed.", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = MeetingViews.JoinView.class)))
    @APIResponse(responseCode = "200", description = "Already present: its current assignment; nothing changed.",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = MeetingViews.JoinView.class)))
    @APIResponse(responseCode = "400", description = "An id, location or measurement a plan would refuse, with the "
            + "same problem.", content = @Content(mediaType = ProblemMapper.PROBLEM_JSON,
            schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No live meeting with this id of this caller.",
            content = @Content(mediaType = ProblemMapper.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "413", description = "The meeting has meridian.routing.max-participants participants.",
            content = @Content(mediaType = ProblemMapper.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "415", description = "The body is not sent as application/json.",
            content = @Content(mediaType = ProblemMapper.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "no-permitted-region: the meeting's effective policy leaves no "
            + "region with a data center.", content = @Content(mediaType = ProblemMapper.PROBLEM_JSON,
            schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", description = "no-permitted-capacity: no permitted data center can take the "
            + "participant; nothing is held and nobody moves (never a blocked region). Or temporarily-unavailable.",
            headers = @Header(name = "Retry-After", description = "Seconds after which a retry may succeed.",
                    schema = @Schema(type = SchemaType.INTEGER)),
            content = @Content(mediaType = ProblemMapper.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    @NonBlocking
    public Uni<Response> join(@Parameter(description = "The meeting's id.", example = "01JD2Q7ZK3M6W1X5N8P0R4T9V2")
                              @PathParam("id") String id, @HeaderParam("Content-Type") String contentType,
                              RoutingPlanRequest.Participant body) {
        long start = System.nanoTime();
        Uni<JoinResult> result;
        try {
            requireJson(contentType, body == null ? null : new byte[1]);
            Participant participant = requests.participant(body);
            result = MeetingRequests.meetingId(id) ? answered(committer.join(id, scope.caller(), participant))
                    : Uni.createFrom().item(new JoinResult.NotFound());
        } catch (RuntimeException e) {
            metrics.join("invalid", System.nanoTime() - start);
            throw e;
        }
        return result
                .invoke(r -> metrics.join(outcome(r), System.nanoTime() - start))
                .onFailure().invoke(e -> metrics.join(TransientFailures.isTransient(e) ? "unavailable" : "invalid",
                        System.nanoTime() - start))
                .map(this::answer);
    }

    /**
     * The committer's answer, taken up again on the request's own event loop: the request held no
     * thread while its job waited for the batch, and nothing of its answer runs on the committer
     * thread, which every other join waits for.
     */
    private static <T> Uni<T> answered(CompletableFuture<T> result) {
        Context context = Vertx.currentContext();
        Uni<T> uni = Uni.createFrom().completionStage(result);
        return context == null ? uni : uni.emitOn(step -> context.runOnContext(ignored -> step.run()));
    }

    private Response answer(JoinResult result) {
        if (result instanceof JoinResult.Placed placed) {
            return Response.status(placed.created() ? 201 : 200).entity(placed.view()).build();
        }
        if (result instanceof JoinResult.NoRegion none) {
            throw refusals.noRegion(none.policy());
        }
        if (result instanceof JoinResult.NoCapacity) {
            throw refusals.noCapacity("No permitted data center can take this participant now. Nothing is held, "
                    + "nobody in the meeting moved, and no blocked region is used instead.", 1);
        }
        if (result instanceof JoinResult.Full full) {
            throw ProblemException.of(ProblemType.TOO_MANY_PARTICIPANTS, "The meeting has " + full.limit()
                    + " participants, as many as one meeting may have (meridian.routing.max-participants).");
        }
        throw notFound();
    }

    private static String outcome(JoinResult result) {
        if (result instanceof JoinResult.Placed placed) {
            return placed.created() ? "ok" : "already_present";
        }
        if (result instanceof JoinResult.NoRegion) {
            return "no_permitted_region";
        }
        if (result instanceof JoinResult.NoCapacity) {
            return "no_permitted_capacity";
        }
        return result instanceof JoinResult.Full ? "too_many_participants" : "not_found";
    }

    @DELETE
    @Path("/{id}/participants/{participantId}")
    @Operation(operationId = "leaveMeeting", summary = "A participant leaves",
            description = "Gives its place back at once (to the meeting's reservation while the meeting holds no more "
                    + "than it reserved there). Nobody else moves. Renews the lease.")
    @APIResponse(responseCode = "204", description = "Left.")
    @APIResponse(responseCode = "400", description = "A participant id no participant could have.",
            content = @Content(mediaType = ProblemMapper.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No live meeting with this id of this caller, or no such "
            + "participant in it.", content = @Content(mediaType = ProblemMapper.PROBLEM_JSON,
            schema = @Schema(implementation = Problem.class)))
    @NonBlocking
    public Uni<Response> leave(@Parameter(description = "The meeting's id.") @PathParam("id") String id,
                               @Parameter(description = "The participant's id.", example = "alice")
                               @PathParam("participantId") String participantId) {
        MeetingRequests.requireParticipantId(participantId);
        Uni<Boolean> left = MeetingRequests.meetingId(id) ? answered(committer.leave(id, scope.caller(), participantId))
                : Uni.createFrom().item(false);
        return left.map(there -> {
            if (!there) {
                throw ProblemException.of(ProblemType.NOT_FOUND, "There is no such participant in a live meeting "
                        + "with this id.");
            }
            return Response.noContent().build();
        });
    }

    @GET
    @Path("/{id}")
    @Operation(operationId = "getMeeting", summary = "A live meeting",
            description = "Everyone present with their data center, the data centers in use and their cascade, the "
                    + "effective policy and the lease. Served by any replica from the database.")
    @APIResponse(responseCode = "200", description = "The meeting.", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = MeetingViews.MeetingView.class)))
    @APIResponse(responseCode = "404", description = "No live meeting with this id of this caller.",
            content = @Content(mediaType = ProblemMapper.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    public MeetingViews.MeetingView get(@Parameter(description = "The meeting's id.") @PathParam("id") String id) {
        if (!MeetingRequests.meetingId(id)) {
            throw notFound();
        }
        return reader.view(id, scope.caller()).orElseThrow(MeetingResource::notFound);
    }

    @PUT
    @Path("/{id}/lease")
    @Operation(operationId = "renewMeetingLease", summary = "Renew a live meeting's lease",
            description = "Extends the lease by meridian.meetings.lease from now (joins and leaves renew it too). "
                    + "Answers the meeting without its participant list.")
    @APIResponse(responseCode = "200", description = "The meeting with its new expiresAt.", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = MeetingViews.MeetingView.class)))
    @APIResponse(responseCode = "404", description = "No live meeting with this id of this caller.",
            content = @Content(mediaType = ProblemMapper.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    @NonBlocking
    public Uni<MeetingViews.MeetingView> renew(@Parameter(description = "The meeting's id.") @PathParam("id") String id) {
        if (!MeetingRequests.meetingId(id)) {
            throw notFound();
        }
        return answered(committer.renew(id, scope.caller())).map(view -> view.orElseThrow(MeetingResource::notFound));
    }

    @DELETE
    @Path("/{id}")
    @Operation(operationId = "endMeeting", summary = "End a live meeting",
            description = "Ends the meeting and frees every place it holds at once, with the places of the reservation "
                    + "it was created from.")
    @APIResponse(responseCode = "204", description = "Ended.")
    @APIResponse(responseCode = "404", description = "No live meeting with this id of this caller.",
            content = @Content(mediaType = ProblemMapper.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    @NonBlocking
    public Uni<Response> end(@Parameter(description = "The meeting's id.") @PathParam("id") String id) {
        if (!MeetingRequests.meetingId(id)) {
            throw notFound();
        }
        return answered(committer.end(id, scope.caller())).map(ended -> {
            if (!ended) {
                throw notFound();
            }
            return Response.noContent().build();
        });
    }

    /** A body sent without {@code Content-Type: application/json} answers 415, as for every body endpoint. */
    private static void requireJson(String contentType, byte[] body) {
        if (body != null && body.length > 0 && (contentType == null || contentType.isBlank())) {
            throw new NotSupportedException();
        }
    }

    private static ProblemException notFound() {
        return ProblemException.of(ProblemType.NOT_FOUND, "There is no live meeting with this id.");
    }
}
