package io.meridian.routing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.meridian.security.Roles;
import io.quarkus.arc.properties.IfBuildProperty;
import io.smallrye.common.annotation.NonBlocking;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.io.IOException;
import java.util.Optional;

/**
 * Benchmark instrument, absent from every normal build: only a build with
 * {@code -Dmeridian.bench.floor=true} (what {@code bench/floor.sh} makes) has it.
 *
 * <p>{@code POST /api/v1/bench/floor} does everything {@code POST /api/v1/routing-plans} does for a
 * plan except plan: the same security, the same body read into the same request type with the same
 * reader, the same latency metric, and a full plan answer written by the same serializer. The answer
 * is the real plan of the first request, kept; later requests get it without the engine, the record
 * or any check. Its throughput is the most any engine could reach on this framework and contract.
 */
@IfBuildProperty(name = "meridian.bench.floor", stringValue = "true")
@Path("/api/v1/bench/floor")
@RolesAllowed(Roles.MEETING_CLIENT)
public class FloorResource {

    private final RoutingService service;
    private final RoutingMetrics metrics;
    private final ObjectReader reader;
    private volatile RoutingPlanResponse answer;

    @Inject
    public FloorResource(RoutingService service, RoutingMetrics metrics, ObjectMapper mapper) {
        this.service = service;
        this.metrics = metrics;
        this.reader = mapper.readerFor(RoutingPlanRequest.class);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(hidden = true)
    @NonBlocking
    public Uni<RoutingPlanResponse> floor(byte[] body) throws IOException {
        long start = System.nanoTime();
        RoutingPlanRequest request = reader.readValue(body);
        RoutingPlanResponse kept = answer;
        if (kept == null) {
            kept = service.route(request, System.currentTimeMillis(),
                    new RoutingService.Caller("", Optional.empty(), "")).response();
            answer = kept;
        }
        metrics.request("ok", RoutingMetrics.label(io.meridian.core.Strategy.AUTO), System.nanoTime() - start);
        return Uni.createFrom().item(kept);
    }
}
