package io.meridian.simulation;

import io.meridian.catalog.CountryDirectory;
import io.meridian.catalog.LiveCapacityView;
import io.meridian.catalog.RegionCodes;
import io.meridian.core.CapacitySnapshot;
import io.meridian.core.DataCenterModel;
import io.meridian.core.GeoPoint;
import io.meridian.core.RoutingEngine;
import io.meridian.core.RoutingOptions;
import io.meridian.core.Strategy;
import io.meridian.routing.RoutingConfig;
import io.meridian.web.Problem;
import io.meridian.web.ProblemException;
import io.meridian.web.ProblemType;
import io.meridian.web.RequestValidation;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Adapter between {@code POST /api/v1/simulations} and the {@link Simulator}: validates the request
 * against the loaded model, applies the size limits and the one-at-a-time gate, reads the live
 * capacity snapshot once and maps the result. Writes nothing: no database rows, no reservations, no
 * change to the live snapshot.
 */
@ApplicationScoped
public class SimulationService {

    private static final Logger LOG = Logger.getLogger(SimulationService.class);


    private final DataCenterModel model;
    private final LiveCapacityView capacity;
    private final RegionCodes regionCodes;
    private final CountryDirectory countries;
    private final Map<String, GeoPoint> centroids;
    private final RequestValidation validation;
    private final SimulationConfig config;
    private final RoutingConfig routing;
    private final SimulationGate gate;
    private final SimulationMetrics metrics;
    private final Simulator simulator;

    @Inject
    public SimulationService(DataCenterModel model, LiveCapacityView capacity, RegionCodes regionCodes,
                             CountryDirectory countries, RequestValidation validation, SimulationConfig config,
                             RoutingConfig routing, SimulationGate gate, SimulationMetrics metrics,
                             RoutingEngine engine, RoutingOptions options) {
        this.model = model;
        this.capacity = capacity;
        this.regionCodes = regionCodes;
        this.countries = countries;
        Map<String, GeoPoint> points = new HashMap<>();
        countries.all().forEach((code, country) -> points.put(code, country.centroid()));
        this.centroids = Map.copyOf(points);
        this.validation = validation;
        this.config = config;
        this.routing = routing;
        this.gate = gate;
        this.metrics = metrics;
        this.simulator = new Simulator(engine, options);
    }

    /**
     * @param caller who asks, for the log line
     * @throws ProblemException 400 for an invalid request, 413 above the limits, 429 while another
     *                          simulation runs on this replica
     */
    public SimulationResponse simulate(SimulationRequest request, String caller) {
        try {
            SimulationResponse response = run(request, caller);
            metrics.outcome("ok");
            return response;
        } catch (ProblemException e) {
            metrics.outcome(switch (e.problem().status()) {
                case 413 -> "too_large";
                case 429 -> "busy";
                default -> "invalid";
            });
            throw e;
        }
    }

    /** Counts a request whose body could not be read as JSON. */
    public void unreadable() {
        metrics.outcome("invalid");
    }

    private SimulationResponse run(SimulationRequest request, String caller) {
        List<Problem.FieldError> errors = new ArrayList<>(validation.errors(request));
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        SimulationRequest.WorkloadInput input = request.workload();
        // the sizes are checked before anything is multiplied or allocated with them
        limits(input.meetings(), input.participantsPerMeeting().max());
        WorkloadSpec spec = workload(input, errors);
        Scenario scenario = scenario(request.scenario(), errors);
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        Strategy strategy = request.strategy() == null ? Strategy.AUTO : request.strategy();

        Optional<SimulationGate.Permit> permit = gate.tryEnter();
        if (permit.isEmpty()) {
            throw new ProblemException(Problem.of(ProblemType.SIMULATION_BUSY, "Another simulation is running on "
                    + "this replica; simulations run one at a time so that they never slow live routing. Retry "
                    + "later."), Map.of("Retry-After", Long.toString(Math.max(1, config.retryAfter().toSeconds()))));
        }
        try {
            long start = System.nanoTime();
            // the one read of live state; everything after works on copies
            CapacitySnapshot live = capacity.snapshot();
            Workload workload = Workload.generate(spec, centroids);
            SimulationResult result = simulator.run(live, scenario, workload, strategy);
            SimulationResponse response = SimulationResponse.of(workload, strategy, result);
            long nanos = System.nanoTime() - start;
            metrics.completed(nanos);
            LOG.infof("Simulation by %s: %d meetings, %d participants, seed %d, %s; scenario: down %s, blocked %s, "
                            + "capacity factors %s; routable meetings %d -> %d, mean RTT %s -> %s ms; %d ms",
                    caller, workload.meetings(), workload.participants(), workload.seed(), strategy,
                    scenario.dataCentersDown(), scenario.regionsBlocked(), scenario.capacityFactors(),
                    response.baseline().routableMeetings(), response.scenario().routableMeetings(),
                    response.baseline().meanRttMs(), response.scenario().meanRttMs(), nanos / 1_000_000);
            return response;
        } finally {
            permit.get().close();
        }
    }

    private WorkloadSpec workload(SimulationRequest.WorkloadInput input, List<Problem.FieldError> errors) {
        int min = input.participantsPerMeeting().min();
        int max = input.participantsPerMeeting().max();
        if (max < min) {
            errors.add(new Problem.FieldError("workload.participantsPerMeeting.max",
                    "must be at least min (" + min + ")"));
        }
        SortedMap<String, Double> weights = new TreeMap<>();
        Map<String, String> keyOfCode = new HashMap<>();
        for (Map.Entry<String, Double> e : input.countries().entrySet()) {
            String field = "workload.countries." + e.getKey();
            Optional<CountryDirectory.Country> country = countries.find(e.getKey());
            if (country.isEmpty()) {
                errors.add(new Problem.FieldError(field, "is not an ISO 3166-1 alpha-2 country code"));
                continue;
            }
            String previous = keyOfCode.putIfAbsent(country.get().code(), e.getKey());
            if (previous != null) {
                errors.add(new Problem.FieldError(field, "names the same country as workload.countries." + previous));
                continue;
            }
            double weight = e.getValue();
            if (!Double.isFinite(weight) || weight <= 0) {
                errors.add(new Problem.FieldError(field, "must be a finite number greater than 0"));
                continue;
            }
            weights.put(country.get().code(), weight);
        }
        if (!errors.isEmpty()) {
            return null;
        }
        return new WorkloadSpec(input.meetings(), min, max, weights, input.seed() == null ? 0L : input.seed());
    }

    private Scenario scenario(SimulationRequest.ScenarioInput input, List<Problem.FieldError> errors) {
        if (input == null) {
            return Scenario.NONE;
        }
        SortedSet<String> down = new TreeSet<>();
        if (input.dataCentersDown() != null) {
            for (int i = 0; i < input.dataCentersDown().size(); i++) {
                String id = input.dataCentersDown().get(i);
                if (model.indexOf(id) < 0) {
                    errors.add(new Problem.FieldError("scenario.dataCentersDown[" + i + "]",
                            "is not a data center of the model"));
                } else {
                    down.add(id);
                }
            }
        }
        SortedSet<String> blocked = regionCodes.parse("scenario.regionsBlocked", input.regionsBlocked(), errors);
        SortedMap<String, Double> factors = new TreeMap<>();
        if (input.capacityFactor() != null) {
            for (Map.Entry<String, Double> e : input.capacityFactor().entrySet()) {
                String field = "scenario.capacityFactor." + e.getKey();
                if (model.indexOf(e.getKey()) < 0) {
                    errors.add(new Problem.FieldError(field, "is not a data center of the model"));
                } else if (!Scenario.validFactor(e.getValue())) {
                    errors.add(new Problem.FieldError(field, "must be greater than 0 and at most 10"));
                } else {
                    factors.put(e.getKey(), e.getValue());
                }
            }
        }
        return errors.isEmpty() ? new Scenario(down, blocked, factors) : null;
    }

    /** 413 above the limits; {@code meetings} and {@code maxParticipants} are positive (validated). */
    private void limits(int meetings, int maxParticipants) {
        if (meetings > config.maxMeetings()) {
            throw tooLarge("The workload has " + meetings + " meetings; at most " + config.maxMeetings()
                    + " (meridian.simulation.max-meetings) can be simulated at once.");
        }
        if (maxParticipants > routing.maxParticipants()) {
            throw tooLarge("A meeting of up to " + maxParticipants + " participants is larger than live "
                    + "routing accepts: at most " + routing.maxParticipants()
                    + " (meridian.routing.max-participants).");
        }
        long total = (long) meetings * maxParticipants;
        if (total > config.maxParticipants()) {
            throw tooLarge("The workload can have up to " + total
                    + " participants (meetings * participantsPerMeeting.max); at most " + config.maxParticipants()
                    + " (meridian.simulation.max-participants) can be simulated at once.");
        }
    }

    private static ProblemException tooLarge(String detail) {
        return ProblemException.of(ProblemType.SIMULATION_TOO_LARGE, detail);
    }
}
