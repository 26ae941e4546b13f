package io.meridian.simulation;

import io.meridian.core.CapacitySnapshot;
import io.meridian.core.DataCenter;
import io.meridian.core.DataCenterModel;
import io.meridian.core.DataCenterState;
import io.meridian.core.DataCenterStatus;
import io.meridian.core.Region;
import io.meridian.core.RegionPolicy;
import io.meridian.core.RoutingEngine;
import io.meridian.core.RoutingOptions;
import io.meridian.core.RoutingOutcome;
import io.meridian.core.RoutingPlan;
import io.meridian.core.Strategy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeMap;

/**
 * What-if analysis: runs one workload through the routing engine twice, on the live capacity
 * snapshot (baseline) and on a changed copy of it (scenario). Pure: no framework, no I/O, no clock;
 * the snapshot it is given is only read, so live state is never touched.
 *
 * <p>Rules, the same on both sides:
 * <ul>
 *   <li>The meetings are planned one after the other, in workload order, by the given engine with the
 *       given strategy and options: the decisions the live path would make.</li>
 *   <li>Meetings are concurrent and none ends: each planned meeting's participants are added as load
 *       on the data centers it was given (like reservations), so later meetings see less headroom. A
 *       meeting the engine refuses (no permitted region, or not enough permitted headroom) is
 *       unroutable and adds no load.</li>
 *   <li>Load at the end of a data center = live reported load + live reservations + simulated
 *       participants. It is over the limit when it reaches or exceeds
 *       {@code floor(capacity * maxUtilization)} of that side (no headroom left, or already over
 *       because the scenario cut its capacity). DOWN data centers carry nothing and are never listed
 *       over the limit.</li>
 * </ul>
 * The scenario side additionally: sets each of {@link Scenario#dataCentersDown()} DOWN; scales
 * capacities by {@link Scenario#capacityFactors()} on a copy of the model
 * ({@link DataCenterModel#withCapacities}); blocks {@link Scenario#regionsBlocked()} for every simulated
 * meeting. The baseline has no region policy.
 *
 * <p>Live load is taken as it is on both sides: the participants a down data center or a blocked
 * region carries live stay counted where they are (their load is shown), they are not re-placed,
 * because the service does not know who they are. The simulated workload is what moves.
 */
public final class Simulator {

    private final RoutingEngine engine;
    private final RoutingOptions options;

    /**
     * @param engine  the routing engine (the live path's own instance, in the service)
     * @param options the live path's routing options
     */
    public Simulator(RoutingEngine engine, RoutingOptions options) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.options = Objects.requireNonNull(options, "options");
    }

    /**
     * @param live     the capacity snapshot both sides start from (read once, never changed)
     * @param scenario what the scenario side changes; every id and code must be of the snapshot's model
     * @param workload the meetings
     * @param strategy how every meeting is routed
     * @throws IllegalArgumentException when the scenario names a data center the model lacks
     */
    public SimulationResult run(CapacitySnapshot live, Scenario scenario, Workload workload, Strategy strategy) {
        Objects.requireNonNull(live, "live");
        Objects.requireNonNull(scenario, "scenario");
        Objects.requireNonNull(workload, "workload");
        Objects.requireNonNull(strategy, "strategy");
        DataCenterModel model = live.model();
        for (String id : scenario.dataCentersDown()) {
            if (model.indexOf(id) < 0) {
                throw new IllegalArgumentException("unknown data center " + id);
            }
        }
        Run baseline = new Run(model, live, states(live, model, Set.of()), RegionPolicy.UNRESTRICTED);

        Map<String, Integer> capacities = new TreeMap<>();
        scenario.capacityFactors().forEach((id, factor) -> {
            DataCenter dc = model.dataCenter(id)
                    .orElseThrow(() -> new IllegalArgumentException("unknown data center " + id));
            capacities.put(id, Scenario.scaledCapacity(dc.capacity(), factor));
        });
        DataCenterModel changed = capacities.isEmpty() ? model : model.withCapacities(capacities);
        RegionPolicy blocked = scenario.regionsBlocked().isEmpty() ? RegionPolicy.UNRESTRICTED
                : new RegionPolicy(scenario.regionsBlocked(), Optional.empty(), List.of("scenario"));
        Run changedSide = new Run(changed, live, states(live, model, scenario.dataCentersDown()), blocked);

        return new SimulationResult(baseline.run(workload, strategy), changedSide.run(workload, strategy));
    }

    /** Live states by index, with the given data centers set DOWN. */
    private static DataCenterState[] states(CapacitySnapshot live, DataCenterModel model, Set<String> down) {
        DataCenterState[] states = new DataCenterState[model.size()];
        for (int i = 0; i < model.size(); i++) {
            DataCenterState s = live.state(i);
            states[i] = down.contains(model.dataCenter(i).id())
                    ? new DataCenterState(DataCenterStatus.DOWN, s.reportedLoad(), s.reserved(), s.lastReportAt(),
                            s.stale())
                    : s;
        }
        return states;
    }

    /** One side's run: its model, starting states, policy and the load it accumulates. */
    private final class Run {
        private final DataCenterModel model;
        private final double maxUtilization;
        private final DataCenterState[] start;
        private final RegionPolicy policy;
        private final int[] added;

        Run(DataCenterModel model, CapacitySnapshot live, DataCenterState[] start, RegionPolicy policy) {
            this.model = model;
            this.maxUtilization = live.maxUtilization();
            this.start = start;
            this.policy = policy;
            this.added = new int[model.size()];
        }

        /** The snapshot with the load simulated so far counted as reservations. */
        private CapacitySnapshot snapshot() {
            Map<String, DataCenterState> states = new HashMap<>(model.size() * 2);
            for (int i = 0; i < model.size(); i++) {
                DataCenterState s = start[i];
                states.put(model.dataCenter(i).id(), added[i] == 0 ? s : new DataCenterState(s.status(),
                        s.reportedLoad(), s.reserved() + added[i], s.lastReportAt(), s.stale()));
            }
            return new CapacitySnapshot(model, maxUtilization, states);
        }

        SimulationResult.Side run(Workload workload, Strategy strategy) {
            double[] rtts = new double[workload.participants()];
            double[] worstPairs = new double[workload.meetings()];
            int routed = 0;
            int routableMeetings = 0;
            int unroutableMeetings = 0;
            long unroutableParticipants = 0;
            CapacitySnapshot snapshot = snapshot();
            for (int m = 0; m < workload.meetings(); m++) {
                RoutingOutcome outcome = engine.plan(workload.participants(m), policy, strategy, options, snapshot);
                if (outcome instanceof RoutingOutcome.Routed r) {
                    worstPairs[routableMeetings++] = r.plan().summary().worstPairLatencyMs();
                    for (RoutingPlan.DataCenterUse use : r.plan().dataCenters()) {
                        added[model.indexOf(use.id())] += use.participants();
                    }
                    for (RoutingPlan.Assignment a : r.plan().assignments()) {
                        rtts[routed++] = a.rttMs();
                    }
                    snapshot = snapshot();
                } else {
                    unroutableMeetings++;
                    unroutableParticipants += workload.size(m);
                }
            }
            return summary(workload, snapshot, Arrays.copyOf(rtts, routed), Arrays.copyOf(worstPairs, routableMeetings),
                    routableMeetings, unroutableMeetings, unroutableParticipants);
        }

        /** The side's figures from its final snapshot (which holds all the simulated load). */
        private SimulationResult.Side summary(Workload workload, CapacitySnapshot end, double[] rtts,
                                              double[] worstPairs, int routableMeetings, int unroutableMeetings,
                                              long unroutableParticipants) {
            long routed = rtts.length;
            Map<String, Long> perRegion = new TreeMap<>();
            for (Region region : model.regions()) {
                perRegion.put(region.code(), 0L);
            }
            List<SimulationResult.DataCenterLoad> dataCenters = new ArrayList<>(model.size());
            List<String> overLimit = new ArrayList<>();
            for (int i = 0; i < model.size(); i++) {
                DataCenter dc = model.dataCenter(i);
                DataCenterState s = start[i];
                long load = (long) s.reportedLoad() + s.reserved() + added[i];
                int usable = end.usableCapacity(dc);
                // no headroom left: load >= floor(capacity * maxUtilization), by the snapshot's one rule
                boolean over = s.status() != DataCenterStatus.DOWN && end.headroom(i) == 0;
                if (over) {
                    overLimit.add(dc.id());
                }
                perRegion.merge(dc.region(), (long) added[i], Long::sum);
                dataCenters.add(new SimulationResult.DataCenterLoad(dc.id(), dc.region(), s.status(), dc.capacity(),
                        added[i], share(added[i], routed), load, usable, over));
            }
            List<SimulationResult.RegionLoad> regions = new ArrayList<>(perRegion.size());
            perRegion.forEach((code, n) -> regions.add(new SimulationResult.RegionLoad(code, n, share(n, routed))));
            return new SimulationResult.Side(routableMeetings, unroutableMeetings, workload.participants(), routed,
                    unroutableParticipants, mean(rtts), p95(rtts), mean(worstPairs), p95(worstPairs), regions,
                    dataCenters, overLimit);
        }
    }

    /** Mean in array order (a fixed order, so a fixed result); empty for no values. */
    private static OptionalDouble mean(double[] values) {
        if (values.length == 0) {
            return OptionalDouble.empty();
        }
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return OptionalDouble.of(sum / values.length);
    }

    /** 95th percentile by nearest rank (sorts the array); empty for no values. */
    private static OptionalDouble p95(double[] values) {
        if (values.length == 0) {
            return OptionalDouble.empty();
        }
        Arrays.sort(values);
        return OptionalDouble.of(values[nearestRank(values.length, 95) - 1]);
    }

    /** 1-based nearest rank of the given percentile among n sorted values: {@code ceil(percentile * n / 100)}. */
    static int nearestRank(int n, int percentile) {
        return (int) Math.max(1, ((long) percentile * n + 99) / 100);
    }

    private static double share(long part, long whole) {
        return whole == 0 ? 0 : (double) part / whole;
    }
}
