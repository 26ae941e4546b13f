package io.meridian.catalog;

import io.meridian.core.DataCenterModel;
import io.meridian.core.DataCenterStatus;
import io.meridian.security.AccountScope;
import io.meridian.security.Roles;
import io.meridian.web.Problem;
import io.meridian.web.ProblemException;
import io.meridian.web.ProblemMapper;
import io.meridian.web.ProblemType;
import io.meridian.web.RequestValidation;
import io.meridian.web.Security;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Operations' reports: data-center status and load. Stored in the database for every replica. */
@Path("/api/v1")
@Tag(name = "Live capacity")
@RolesAllowed(Roles.OPS)
@SecurityRequirement(name = Security.BEARER)
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@APIResponse(responseCode = "400", description = "Invalid body.",
        content = @Content(mediaType = ProblemMapper.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "401", ref = Security.UNAUTHORIZED)
@APIResponse(responseCode = "403", ref = Security.FORBIDDEN)
@APIResponse(responseCode = "404", description = "The model has no data center with this id.",
        content = @Content(mediaType = ProblemMapper.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
public class DataCenterOpsResource {

    private static final Logger LOG = Logger.getLogger(DataCenterOpsResource.class);
    /** Reports from further in the future than this are refused as clock errors. */
    static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(5);

    @Schema(name = "DataCenterStatusInput", description = "A new operational status.")
    public record StatusInput(
            @Schema(required = true) @NotNull DataCenterStatus status,
            @Schema(description = "Why; shown in the catalogue and logged.", examples = "maintenance window", maxLength = 500)
            @Size(max = 500) String reason) {
    }

    @Schema(name = "LoadReport", description = "Participants active on a data center at a moment.")
    public record LoadReport(
            @Schema(required = true, examples = "1234", minimum = "0", maximum = "10000000")
            @NotNull @Min(0) @Max(10_000_000) Integer activeParticipants,
            @Schema(description = "When the count was taken (RFC 3339); default: when received. Older than the "
                    + "newest stored report: ignored.", examples = "2026-11-23T07:00:00Z")
            Instant reportedAt) {
    }

    private final DataCenterModel model;
    private final CapacityStore store;
    private final LiveCapacityView capacity;
    private final AccountScope caller;
    private final RequestValidation validation;

    @Inject
    public DataCenterOpsResource(DataCenterModel model, CapacityStore store, LiveCapacityView capacity,
                                 AccountScope caller, RequestValidation validation) {
        this.model = model;
        this.store = store;
        this.capacity = capacity;
        this.caller = caller;
        this.validation = validation;
    }

    @PUT
    @Path("/data-centers/{id}/status")
    @Operation(operationId = "setDataCenterStatus", summary = "Set a data center's status",
            description = "ACTIVE takes participants; DRAINING and DOWN take no new ones and are excluded from plans "
                    + "with DC_DRAINING / DC_DOWN. Reason, caller and time are recorded.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = StatusInput.class)))
    @APIResponse(responseCode = "200", description = "The data center.",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = CatalogViews.DataCenterView.class)))
    public CatalogViews.DataCenterView setStatus(
            @Parameter(description = "Data-center id.", example = "eu-fra") @PathParam("id") String id, StatusInput input) {
        int index = index(id);
        validate(input);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        store.setStatus(id, input.status(), input.reason(), now, caller.caller());
        LOG.infof("Data center %s set %s by %s: %s", id, input.status(), caller.caller(),
                input.reason() == null ? "(no reason)" : input.reason());
        capacity.refresh();
        return CatalogViews.DataCenterView.of(capacity.live(), index);
    }

    @POST
    @Path("/data-centers/{id}/load-reports")
    @Operation(operationId = "reportDataCenterLoad", summary = "Report a data center's load",
            description = "The newest report wins; a report older than the stored one is ignored (still 202).")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = LoadReport.class)))
    @APIResponse(responseCode = "202", description = "Accepted (stored, or ignored as older than the newest).")
    public Response report(@Parameter(description = "Data-center id.", example = "eu-fra") @PathParam("id") String id,
                           LoadReport report) {
        index(id);
        validate(report);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Instant at = report.reportedAt() == null ? now : report.reportedAt().truncatedTo(ChronoUnit.MICROS);
        if (at.isAfter(now.plus(MAX_CLOCK_SKEW))) {
            throw ProblemException.invalid("reportedAt", "is more than 5 minutes in the future");
        }
        if (store.report(id, report.activeParticipants(), at, now)) {
            capacity.refresh();
        }
        return Response.accepted().build();
    }

    private int index(String id) {
        int index = model.indexOf(id);
        if (index < 0) {
            throw ProblemException.of(ProblemType.NOT_FOUND, "There is no data center with this id.");
        }
        return index;
    }

    private void validate(Object input) {
        validation.require(input);
    }
}
