package io.meridian.integration.jicofo;

import io.meridian.core.RegionPolicy;
import io.meridian.routing.RoutingConfig;
import io.meridian.security.IntegrationKeys;
import io.meridian.web.Problem;
import io.meridian.web.ProblemException;
import io.meridian.web.ProblemMapper;
import io.meridian.web.ProblemType;
import io.smallrye.common.annotation.NonBlocking;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
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
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirements;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;

/**
 * {@code POST /api/v1/integrations/jicofo/{integrationKey}/bridge-selection}: Meridian as the
 * external bridge selector of Jicofo (jitsi/jicofo pull request 889). That client sends no token:
 * the key in the path authenticates it and names the account whose policy applies.
 *
 * <p>Threads: the key is checked in memory, the account's policy usually comes from memory
 * ({@link AccountPolicies}) and the choice is a pure function of tens of microseconds, so such a
 * selection is answered on the HTTP event loop. A policy that must be read from the database, and
 * bodies over {@code meridian.routing.inline-max-bytes}, go to a worker thread.
 */
@Path("/api/v1/integrations/jicofo/{integrationKey}/bridge-selection")
@Tag(name = "Jicofo integration", description = "Meridian as Jicofo's external bridge selector (Jitsi Meet), "
        + "and the integration keys it calls with.")
@PermitAll
public class BridgeSelectionResource {

    /** The integration name of Jicofo keys. */
    public static final String INTEGRATION = "jicofo";

    private final IntegrationKeys keys;
    private final AccountPolicies policies;
    private final JicofoSelections selections;
    private final JicofoMetrics metrics;
    private final int inlineMaxBytes;

    @Inject
    public BridgeSelectionResource(IntegrationKeys keys, AccountPolicies policies, JicofoSelections selections,
                                   JicofoMetrics metrics, RoutingConfig routing) {
        this.keys = keys;
        this.policies = policies;
        this.selections = selections;
        this.metrics = metrics;
        this.inlineMaxBytes = routing.inlineMaxBytes();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "selectJicofoBridge", summary = "Select a videobridge for a joining Jitsi participant",
            description = "Jicofo's ExternalBridgeSelectionStrategy (jitsi/jicofo pull request 889) asks this for "
                    + "every selection it makes. Never a bridge in a region the key's account blocks or does not "
                    + "allow, in a data center that is not eligible, not operational, shutting down, draining or at "
                    + "the stress threshold; a close bridge of the conference first, else the least stressed bridge "
                    + "of the participant's best data center. Fields this format does not name are ignored (the one "
                    + "exception to strict reading in this API). No token: the integration key in the path is the "
                    + "credential. See docs/jitsi.md.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = SelectionRequestSchema.class),
            examples = @ExampleObject(name = "jicofo", summary = "As Jicofo writes it (json-simple escapes /)",
                    value = JicofoExamples.REQUEST)))
    @APIResponse(responseCode = "200", description = "The selected bridge; Jicofo reads only selected_bridge_index.",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = JicofoSelections.Answer.class),
                    examples = @ExampleObject(name = "selected", value = JicofoExamples.ANSWER)))
    @APIResponse(responseCode = "400", description = "A malformed body: not JSON (a NaN stress is written as a bare "
            + "NaN, which is not JSON), wrong types, no bridges, a conference bridge that is not offered, a negative "
            + "stress.", content = @Content(mediaType = ProblemMapper.PROBLEM_JSON,
            schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No integration answers at this URL: the key is unknown or "
            + "revoked (which one is not said).", content = @Content(mediaType = ProblemMapper.PROBLEM_JSON,
            schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "429", description = "An unknown key from an address that presented too many "
            + "(meridian.integration-keys.failed-attempts.*); valid keys are always served.",
            headers = @Header(name = "Retry-After", description = "Seconds until this address may try again.",
                    schema = @Schema(type = SchemaType.INTEGER)),
            content = @Content(mediaType = ProblemMapper.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", description = "no-permitted-capacity: no offered bridge may take the "
            + "participant; the detail counts why. (temporarily-unavailable: the database is needed and away.)",
            headers = @Header(name = "Retry-After", description = "Seconds after which a retry may succeed.",
                    schema = @Schema(type = SchemaType.INTEGER)),
            content = @Content(mediaType = ProblemMapper.PROBLEM_JSON, schema = @Schema(implementation = Problem.class),
                    examples = @ExampleObject(name = "no-bridge", value = JicofoExamples.PROBLEM_NO_BRIDGE)))
    @SecurityRequirements
    @NonBlocking
    public Uni<JicofoSelections.Answer> select(
            @Parameter(description = "The integration key (a capability: keep the URL secret).")
            @PathParam("integrationKey") String integrationKey,
            @Context HttpServerRequest http, byte[] body) {
        long start = System.nanoTime();
        byte[] bytes = body == null ? new byte[0] : body;
        IntegrationKeys.Grant grant;
        try {
            grant = grant(integrationKey, http);
        } catch (ProblemException e) {
            metrics.answered(outcome(e), System.nanoTime() - start);
            return Uni.createFrom().failure(e);
        }
        long now = System.currentTimeMillis();
        keys.used(grant, now);
        String account = grant.accountId();
        Optional<RegionPolicy> policy = policies.cached(account);
        if (policy.isPresent() && bytes.length <= inlineMaxBytes) {
            try {
                return Uni.createFrom().item(answer(account, policy.get(), bytes, now, start));
            } catch (IOException | RuntimeException e) {
                return Uni.createFrom().failure(e);
            }
        }
        return Uni.createFrom().<JicofoSelections.Answer>emitter(emitter -> {
            try {
                RegionPolicy p = policy.isPresent() ? policy.get() : loadPolicy(account, start);
                emitter.complete(answer(account, p, bytes, now, start));
            } catch (IOException | RuntimeException e) {
                emitter.fail(e);
            }
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    private IntegrationKeys.Grant grant(String key, HttpServerRequest http) {
        IntegrationKeys.Check check = keys.check(INTEGRATION, key, source(http));
        if (check instanceof IntegrationKeys.Granted granted) {
            return granted.grant();
        }
        if (check instanceof IntegrationKeys.Refused refused) {
            throw new ProblemException(Problem.of(ProblemType.TOO_MANY_REQUESTS, "This address presented too many "
                    + "unknown integration keys. Retry after the time in Retry-After."),
                    Map.of("Retry-After", String.valueOf(refused.retryAfterSeconds())));
        }
        throw ProblemException.of(ProblemType.NOT_FOUND, "No integration answers at this URL.");
    }

    private static String source(HttpServerRequest http) {
        SocketAddress address = http.remoteAddress();
        String host = address == null ? null : address.hostAddress();
        return host == null ? "unknown" : host;
    }

    private RegionPolicy loadPolicy(String account, long start) {
        try {
            return policies.load(account);
        } catch (RuntimeException e) {
            metrics.answered(JicofoMetrics.Outcome.ERROR, System.nanoTime() - start);
            throw e;
        }
    }

    private JicofoSelections.Answer answer(String account, RegionPolicy policy, byte[] body, long now, long start)
            throws IOException {
        JicofoMetrics.Outcome outcome = JicofoMetrics.Outcome.ERROR;
        try {
            JicofoSelections.Answer answer = selections.select(account, policy, body, now);
            outcome = JicofoMetrics.Outcome.OK;
            return answer;
        } catch (ProblemException e) {
            outcome = outcome(e);
            throw e;
        } catch (IOException e) {
            outcome = JicofoMetrics.Outcome.INVALID;
            throw e;
        } finally {
            metrics.answered(outcome, System.nanoTime() - start);
        }
    }

    private static JicofoMetrics.Outcome outcome(ProblemException e) {
        return switch (e.problem().status()) {
            case 400 -> JicofoMetrics.Outcome.INVALID;
            case 404 -> JicofoMetrics.Outcome.UNKNOWN_KEY;
            case 429 -> JicofoMetrics.Outcome.RATE_LIMITED;
            case 503 -> ProblemType.NO_PERMITTED_CAPACITY.uri().equals(e.problem().type())
                    ? JicofoMetrics.Outcome.NO_PERMITTED_CAPACITY : JicofoMetrics.Outcome.ERROR;
            default -> JicofoMetrics.Outcome.ERROR;
        };
    }
}
