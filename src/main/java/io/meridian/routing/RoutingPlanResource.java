package io.meridian.routing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.meridian.idempotency.IdempotentAnswers;
import io.meridian.security.AccountScope;
import io.meridian.security.Roles;
import io.meridian.web.Examples;
import io.meridian.web.Problem;
import io.meridian.web.ProblemException;
import io.meridian.web.ProblemMapper;
import io.meridian.web.Security;
import io.smallrye.common.annotation.NonBlocking;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
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
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.io.IOException;
import java.util.concurrent.Callable;

/** {@code POST /api/v1/routing-plans}: HTTP in, HTTP out; the decision is the service's. */
@Path("/api/v1/routing-plans")
@Tag(name = "Routing plans")
@RolesAllowed(Roles.MEETING_CLIENT)
@SecurityRequirement(name = Security.BEARER)
public class RoutingPlanResource {

    private final RoutingService service;
    private final RoutingMetrics metrics;
    private final ObjectReader reader;
    private final AccountScope scope;
    private final RoutingConfig config;

    @Inject
    public RoutingPlanResource(RoutingService service, RoutingMetrics metrics, ObjectMapper mapper, AccountScope scope,
                               RoutingConfig config) {
        this.scope = scope;
        this.config = config;
        this.service = service;
        this.metrics = metrics;
        this.reader = mapper.readerFor(RoutingPlanRequest.class);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "createRoutingPlan", summary = "Plan where a meeting's media goes",
            description = "Assigns every participant to a data center in a permitted region, links the data "
                    + "centers used, and lists every data center that was not eligible with the reason. No media "
                    + "ever touches a blocked or not-allowed region: when permitted capacity runs out the answer is "
                    + "503, never a plan through another region. Same request and model state, same plan.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = RoutingPlanRequest.class),
            examples = {
                    @ExampleObject(name = "three-continents", summary = "Three participants on three continents",
                            value = Examples.PLAN_REQUEST),
                    @ExampleObject(name = "eu-only", summary = "A meeting that must stay in Europe",
                            value = Examples.PLAN_REQUEST_EU_ONLY)}))
    @APIResponse(responseCode = "200", description = "The routing plan.",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = RoutingPlanResponse.class),
                    examples = @ExampleObject(name = "cascade", value = Examples.PLAN_RESPONSE)))
    @APIResponse(responseCode = "400", description = "Malformed JSON, a constraint violation, an unknown region, "
            + "country or data center, a duplicate participant id or coordinates out of range.",
            content = @Content(mediaType = ProblemMapper.PROBLEM_JSON, schema = @Schema(implementation = Problem.class),
                    examples = @ExampleObject(name = "invalid", value = Examples.PROBLEM_INVALID)))
    @APIResponse(responseCode = "401", ref = Security.UNAUTHORIZED)
    @APIResponse(responseCode = "403", ref = Security.FORBIDDEN)
    @APIResponse(responseCode = "413", description = "More participants than meridian.routing.max-participants.",
            content = @Content(mediaType = ProblemMapper.PROBLEM_JSON, schema = @Schema(implementation = Problem.class),
                    examples = @ExampleObject(name = "too-many", value = Examples.PROBLEM_TOO_MANY)))
    @APIResponse(responseCode = "415", description = "The body is not sent as application/json.",
            content = @Content(mediaType = ProblemMapper.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "The effective policy leaves no region with any data center "
            + "(no-permitted-region), or an Idempotency-Key was reused for a different request.",
            content = @Content(mediaType = ProblemMapper.PROBLEM_JSON, schema = @Schema(implementation = Problem.class),
                    examples = @ExampleObject(name = "no-region", value = Examples.PROBLEM_NO_REGION)))
    @APIResponse(responseCode = "503", description = "no-permitted-capacity: permitted data centers lack headroom "
            + "for the meeting (for a reserving request: still, after re-planning on fresh state). "
            + "temporarily-unavailable: the database is momentarily busy or unreachable (a reserving request waited "
            + "longer than meridian.reservation.lock-timeout for row locks, or an account's policy could not be read).",
            headers = @Header(name = "Retry-After", description = "Seconds after which a retry may succeed.",
                    schema = @Schema(type = SchemaType.INTEGER)),
            content = @Content(mediaType = ProblemMapper.PROBLEM_JSON, schema = @Schema(implementation = Problem.class),
                    examples = @ExampleObject(name = "no-capacity", value = Examples.PROBLEM_NO_CAPACITY)))
    @NonBlocking
    public Uni<RoutingPlanResponse> create(
            @Parameter(description = "Makes a retried reserving request (reserve: true) return the first answer "
                    + "instead of reserving again. Up to 200 printable characters, unique per request; a key reused "
                    + "with a different body answers 422.") @HeaderParam("Idempotency-Key") String idempotencyKey,
            byte[] body) {
        long start = System.nanoTime();
        byte[] bytes = body == null ? new byte[0] : body;
        if (bytes.length > config.inlineMaxBytes()) {
            // parsed on the worker; the caller's name is read here, where the request's context is,
            // in case the request reserves (reservations and Idempotency-Keys belong to a caller)
            String name = scope.caller();
            return onWorker(() -> plan(idempotencyKey, bytes, parse(bytes).withCaller(name), start));
        }
        Parsed parsed = parse(bytes);
        RoutingPlanRequest request = parsed.request();
        if (request != null && Boolean.TRUE.equals(request.reserve())) {
            // reserving waits for the database: a worker thread; the caller's name is read here,
            // where the request's context is
            String name = scope.caller();
            return onWorker(() -> plan(idempotencyKey, bytes, parsed.withCaller(name), start));
        }
        if (request != null && request.accountId() != null) {
            // the account's policy is read from the database
            return onWorker(() -> plan(idempotencyKey, bytes, parsed, start));
        }
        // a small plan that needs no database is pure computation (tens of microseconds): answering
        // it on the event loop saves two thread hand-offs
        try {
            return Uni.createFrom().item(plan(idempotencyKey, bytes, parsed, start));
        } catch (IOException | RuntimeException e) {
            return Uni.createFrom().failure(e);
        }
    }

    /**
     * Runs a blocking step on a worker thread. Its exception reaches the exception mappers as it is
     * (a wrapper would turn a 400 for malformed JSON into a 500).
     */
    private static Uni<RoutingPlanResponse> onWorker(Callable<RoutingPlanResponse> work) {
        return Uni.createFrom().<RoutingPlanResponse>emitter(emitter -> {
            try {
                emitter.complete(work.call());
            } catch (Exception e) {
                emitter.fail(e);
            }
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    /** The body read as a request, or the reason it could not be; {@code caller} is set for reservations. */
    private record Parsed(RoutingPlanRequest request, IOException error, String caller) {
        Parsed withCaller(String name) {
            return new Parsed(request, error, name);
        }
    }

    private Parsed parse(byte[] bytes) {
        if (bytes.length == 0) {
            return new Parsed(null, null, "");
        }
        try {
            return new Parsed(reader.readValue(bytes), null, "");
        } catch (IOException e) {
            return new Parsed(null, e, "");
        }
    }

    private RoutingPlanResponse plan(String idempotencyKey, byte[] bytes, Parsed parsed, long start) throws IOException {
        String strategy = RoutingMetrics.UNKNOWN_STRATEGY;
        String outcome = "invalid";
        try {
            if (idempotencyKey != null && !IdempotentAnswers.validKey(idempotencyKey)) {
                throw ProblemException.invalid("Idempotency-Key", "must be 1-200 printable ASCII characters");
            }
            if (parsed.error() != null) {
                throw parsed.error();
            }
            RoutingPlanRequest request = parsed.request();
            if (request != null) {
                strategy = RoutingMetrics.label(request.strategy() == null
                        ? io.meridian.core.Strategy.AUTO : request.strategy());
            }
            RoutingService.Caller caller = new RoutingService.Caller(parsed.caller(),
                    java.util.Optional.ofNullable(idempotencyKey),
                    idempotencyKey == null ? "" : IdempotentAnswers.sha256(bytes));
            RoutingService.Decision decision = service.route(request, System.currentTimeMillis(), caller);
            outcome = "ok";
            return decision.response();
        } catch (ProblemException e) {
            outcome = outcomeOf(e.problem().status());
            throw e;
        } finally {
            metrics.request(outcome, strategy, System.nanoTime() - start);
        }
    }

    private static String outcomeOf(int status) {
        return switch (status) {
            case 422 -> "no_permitted_region";
            case 503 -> "no_permitted_capacity";
            default -> "invalid";
        };
    }
}
