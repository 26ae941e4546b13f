package io.meridian.integration.jicofo;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meridian.catalog.CapacityView;
import io.meridian.core.AccessLatency;
import io.meridian.core.BridgeSelection;
import io.meridian.core.DataCenter;
import io.meridian.core.DataCenterModel;
import io.meridian.core.LatencyModel;
import io.meridian.core.RegionPolicy;
import io.meridian.records.PlanIds;
import io.meridian.records.RoutingRecord;
import io.meridian.records.RoutingRecords;
import io.meridian.routing.RoutingConfig;
import io.meridian.web.Problem;
import io.meridian.web.ProblemException;
import io.meridian.web.ProblemType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * One Jicofo bridge selection, from the request body to the answer: reads the body, runs the core's
 * {@link BridgeSelection} on the current capacity snapshot and the account's policy, and records
 * the choice for the account's traffic report. Holds no selection rule of its own.
 */
@ApplicationScoped
public class JicofoSelections {

    private final BridgeSelection selection;
    private final JicofoRegions regions;
    private final CapacityView capacity;
    private final RoutingRecords records;
    private final JsonFactory json;
    private final String retryAfterSeconds;

    @Inject
    public JicofoSelections(DataCenterModel model, LatencyModel latency, JicofoConfig config, RoutingConfig routing,
                            JicofoRegions regions, CapacityView capacity, RoutingRecords records, ObjectMapper mapper) {
        try {
            this.selection = new BridgeSelection(model, new AccessLatency(latency), config.stressThreshold(),
                    routing.cascadeMinGainMs());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("Invalid meridian.jicofo.stress-threshold: " + e.getMessage(), e);
        }
        this.regions = regions;
        this.capacity = capacity;
        this.records = records;
        this.json = mapper.getFactory();
        this.retryAfterSeconds = String.valueOf(Math.max(1, routing.retryAfter().toSeconds()));
    }

    /** The answer Jicofo reads: {@code selected_bridge_index}; the rest says why, for people. */
    public record Answer(@com.fasterxml.jackson.annotation.JsonProperty("selected_bridge_index") int selectedBridgeIndex,
                         String dataCenter, String region, String reason) {
    }

    /**
     * Selects a bridge for the account whose policy is given.
     *
     * @throws ProblemException 400 for a malformed body, 503 no-permitted-capacity when no offered
     *                          bridge may take the participant
     * @throws IOException      a body that is not JSON
     */
    public Answer select(String accountId, RegionPolicy policy, byte[] body, long nowMillis) throws IOException {
        SelectionRequest request = SelectionRequest.parse(body, json, regions);
        BridgeSelection.Outcome outcome = selection.select(request.bridges(), request.participantDc(), policy,
                capacity.snapshot());
        if (outcome instanceof BridgeSelection.Selected chosen) {
            Optional<DataCenter> dc = chosen.dataCenter() == BridgeSelection.NO_DATA_CENTER ? Optional.empty()
                    : Optional.of(selection.model().dataCenter(chosen.dataCenter()));
            records.recordWithoutReceipt(RoutingRecord.bridgeSelection(PlanIds.next(nowMillis), nowMillis, accountId,
                    dc.map(d -> new RoutingRecord.Site(d.id(), d.region(), 1, !request.conferenceHasBridges())),
                    policy));
            return new Answer(chosen.index(), dc.map(DataCenter::id).orElse(null),
                    dc.map(DataCenter::region).orElse(null), chosen.reason().name());
        }
        throw noBridge(((BridgeSelection.NoCandidate) outcome).excluded());
    }

    private ProblemException noBridge(Map<BridgeSelection.Exclusion, Integer> excluded) {
        StringJoiner why = new StringJoiner(", ");
        excluded.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> why.add(e.getValue() + " " + describe(e.getKey())));
        Problem problem = Problem.of(ProblemType.NO_PERMITTED_CAPACITY, "No offered bridge may take this "
                + "participant (" + why + "). No bridge in a forbidden region is used instead.");
        return new ProblemException(new Problem(problem.type(), problem.title(), problem.status(), problem.detail(),
                null, null, 1), Map.of("Retry-After", retryAfterSeconds));
    }

    private String describe(BridgeSelection.Exclusion exclusion) {
        return switch (exclusion) {
            case UNMAPPED_REGION -> "in a region that maps to no data center (meridian.jicofo.regions)";
            case REGION_BLOCKED -> "in a region the account blocks";
            case REGION_NOT_ALLOWED -> "in a region the account does not allow";
            case DC_DOWN -> "in a data center that is down";
            case DC_DRAINING -> "in a data center that is draining";
            case STALE_LOAD_REPORT -> "in a data center whose load report is stale";
            case NO_HEADROOM -> "in a data center without headroom";
            case NOT_OPERATIONAL -> "not operational";
            case GRACEFUL_SHUTDOWN -> "in graceful shutdown";
            case BRIDGE_DRAINING -> "draining";
            case STRESS_AT_THRESHOLD -> "at or above the stress threshold " + selection.stressThreshold();
        };
    }
}
