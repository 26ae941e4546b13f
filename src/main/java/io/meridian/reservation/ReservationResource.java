package io.meridian.reservation;

import io.meridian.security.Roles;
import io.meridian.web.Ids;
import io.meridian.web.Problem;
import io.meridian.web.ProblemException;
import io.meridian.web.ProblemMapper;
import io.meridian.web.ProblemType;
import io.meridian.web.Security;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
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
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code /api/v1/reservations/{id}}: renew or release a reserving plan's hold. */
@Path("/api/v1/reservations/{id}")
@Tag(name = "Reservations")
@RolesAllowed(Roles.MEETING_CLIENT)
@SecurityRequirement(name = Security.BEARER)
@Produces(MediaType.APPLICATION_JSON)
@APIResponse(responseCode = "400", description = "The id is not a reservation id (a ULID).",
        content = @Content(mediaType = ProblemMapper.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "401", ref = Security.UNAUTHORIZED)
@APIResponse(responseCode = "403", ref = Security.FORBIDDEN)
@APIResponse(responseCode = "404", description = "No live reservation with this id (expired, released or unknown).",
        content = @Content(mediaType = ProblemMapper.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "503", description = "temporarily-unavailable: the data centers' rows stayed locked for "
        + "longer than meridian.reservation.lock-timeout, or the database is unreachable; retry "
        + "after Retry-After.",
        headers = @Header(name = "Retry-After", description = "Seconds after which a retry may succeed.",
                schema = @Schema(type = SchemaType.INTEGER)),
        content = @Content(mediaType = ProblemMapper.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
public class ReservationResource {

    private final ReservationService reservations;

    @Inject
    public ReservationResource(ReservationService reservations) {
        this.reservations = reservations;
    }

    @PUT
    @Path("/lease")
    @Operation(operationId = "renewReservation", summary = "Renew a reservation's lease",
            description = "Extends the hold by meridian.reservation.lease from now.")
    @APIResponse(responseCode = "200", description = "The reservation with its new expiry.",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ReservationView.class)))
    public ReservationView renew(@Parameter(description = "Reservation id.", example = "01JD2Q7ZK3M6W1X5N8P0R4T9V2")
                                 @PathParam("id") String id) {
        Ids.requireUlid("id", id);
        return reservations.renew(id).orElseThrow(ReservationResource::notFound);
    }

    @DELETE
    @Operation(operationId = "releaseReservation", summary = "Release a reservation",
            description = "Gives the held capacity back at once.")
    @APIResponse(responseCode = "204", description = "Released.")
    public Response release(@Parameter(description = "Reservation id.", example = "01JD2Q7ZK3M6W1X5N8P0R4T9V2")
                            @PathParam("id") String id) {
        Ids.requireUlid("id", id);
        if (!reservations.release(id)) {
            throw notFound();
        }
        return Response.noContent().build();
    }

    private static ProblemException notFound() {
        return ProblemException.of(ProblemType.NOT_FOUND, "There is no live reservation with this id.");
    }
}
