package io.meridian.simulation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.meridian.security.AccountScope;
import io.meridian.security.Roles;
import io.meridian.web.Problem;
import io.meridian.web.ProblemException;
import io.meridian.web.ProblemMapper;
import io.meridian.web.Security;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.io.IOException;
import java.io.InputStream;

/**
 * {@code POST /api/v1/simulations}: what-if analysis for operations. HTTP in, HTTP out; the
 * simulation is the {@link Simulator}'s, the checks and limits the {@link SimulationService}'s.
 */
@Path("/api/v1/simulations")
@Tag(name = "Simulations")
@RolesAllowed(Roles.OPS)
@SecurityRequirement(name = Security.BEARER)
public class SimulationResource {

    private final SimulationService service;
    private final ObjectReader reader;
    private final AccountScope scope;

    @Inject
    public SimulationResource(SimulationService service, ObjectMapper mapper, AccountScope scope) {
        this.service = service;
        this.reader = mapper.readerFor(SimulationRequest.class);
        this.scope = scope;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "runSimulation", summary = "Simulate a change before making it",
            description = "Routes a synthetic workload twice with the live routing engine: on the live capacity "
                    + "snapshot as it is (baseline) and on a copy changed by the scenario (data centers DOWN, "
                    + "regions blocked for every meeting, capacities scaled), and compares routable meetings, "
                    + "participant RTT (mean, p95), region shares and data centers left without headroom. "
                    + "Nothing live is touched: the snapshot is read once, no reservation is made, nothing is "
                    + "written. The workload is drawn from the seed with java.util.SplittableRandom (countries in "
                    + "code order, meeting sizes uniform in [min, max], participants at their country's "
                    + "representative point), so the same request on the same live state gives the same answer. "
                    + "Meetings are concurrent: each routed meeting's participants stay as load for the later "
                    + "ones; a meeting the engine refuses is unroutable and adds no load. Live load is taken as it "
                    + "is on both sides (a down data center's live participants are not re-placed). One simulation "
                    + "runs at a time per replica.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = SimulationRequest.class),
            examples = @ExampleObject(name = "fra-down-cn-blocked", summary = "Frankfurt down, China blocked, San Jose "
                    + "at half capacity", value = SimulationExamples.REQUEST)))
    @APIResponse(responseCode = "200", description = "Baseline, scenario and their difference.",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = SimulationResponse.class),
                    examples = @ExampleObject(name = "fra-down-cn-blocked", summary = "The answer to the example "
                            + "request on an idle model (lists shortened)", value = SimulationExamples.RESPONSE)))
    @APIResponse(responseCode = "400", description = "Malformed JSON, a constraint violation, an unknown data center, "
            + "region or country, a weight that is not a finite number greater than 0, a capacity factor outside "
            + "(0, 10], or participantsPerMeeting.max below min.",
            content = @Content(mediaType = ProblemMapper.PROBLEM_JSON, schema = @Schema(implementation = Problem.class),
                    examples = @ExampleObject(name = "invalid", value = SimulationExamples.PROBLEM_INVALID)))
    @APIResponse(responseCode = "401", ref = Security.UNAUTHORIZED)
    @APIResponse(responseCode = "403", ref = Security.FORBIDDEN)
    @APIResponse(responseCode = "413", description = "More meetings than meridian.simulation.max-meetings (10000), "
            + "meetings * participantsPerMeeting.max above meridian.simulation.max-participants (200000), or "
            + "participantsPerMeeting.max above meridian.routing.max-participants.",
            content = @Content(mediaType = ProblemMapper.PROBLEM_JSON, schema = @Schema(implementation = Problem.class),
                    examples = @ExampleObject(name = "too-large", value = SimulationExamples.PROBLEM_TOO_LARGE)))
    @APIResponse(responseCode = "415", description = "The body is not sent as application/json.",
            content = @Content(mediaType = ProblemMapper.PROBLEM_JSON,
                    schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "429", description = "Another simulation is running on this replica.",
            headers = @Header(name = "Retry-After", description = "Seconds after which a retry may succeed.",
                    schema = @Schema(type = SchemaType.INTEGER)),
            content = @Content(mediaType = ProblemMapper.PROBLEM_JSON, schema = @Schema(implementation = Problem.class),
                    examples = @ExampleObject(name = "busy", value = SimulationExamples.PROBLEM_BUSY)))
    public SimulationResponse simulate(InputStream body) throws IOException {
        SimulationRequest request;
        try {
            byte[] bytes = ProblemException.readBody(body);
            request = bytes.length == 0 ? null : reader.readValue(bytes);
        } catch (JsonProcessingException | ProblemException e) {
            service.unreadable();
            throw e;
        }
        return service.simulate(request, scope.caller());
    }
}
