package io.meridian.routing;

import io.meridian.core.DataCenter;
import io.meridian.core.DataCenterModel;
import io.meridian.core.ExclusionReason;
import io.meridian.core.Region;
import io.meridian.core.RoutingOutcome;
import io.meridian.core.RoutingPlan;
import io.meridian.core.Strategy;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The routing metrics of the contract. Labels are bounded: outcomes, strategies, regions and data
 * centers of the model; never meeting, account or participant ids. Every series is registered at
 * start so that rates and alerts see zeros rather than gaps.
 */
@Startup
@ApplicationScoped
public class RoutingMetrics {

    /** Outcome label values. */
    public static final List<String> OUTCOMES = List.of("ok", "invalid", "no_permitted_region", "no_permitted_capacity");

    /** Strategy label for requests whose strategy could not be read. */
    public static final String UNKNOWN_STRATEGY = "unknown";

    /** Histogram buckets from 250 µs to 5 s: routing is sub-millisecond for small meetings, seconds never. */
    private static final Duration[] BUCKETS = {
            Duration.ofNanos(250_000), Duration.ofNanos(500_000), Duration.ofMillis(1), Duration.ofMillis(2),
            Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
            Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
            Duration.ofMillis(2500), Duration.ofSeconds(5)};

    private final Map<String, Counter> plans = new ConcurrentHashMap<>();
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();
    private final Map<String, Counter> routed = new HashMap<>();
    private final Map<String, Counter> blockedExclusions = new HashMap<>();
    private final MeterRegistry registry;

    @Inject
    public RoutingMetrics(MeterRegistry registry, DataCenterModel model) {
        this.registry = registry;
        for (String strategy : strategyLabels()) {
            timer(strategy);
            for (String outcome : OUTCOMES) {
                plansCounter(outcome, strategy);
            }
        }
        for (DataCenter dc : model.dataCenters()) {
            routed.put(dc.id(), Counter.builder("meridian.routed.participants")
                    .description("Participants placed on a data center by successful routing plans")
                    .tag("region", dc.region()).tag("data_center", dc.id())
                    .register(registry));
        }
        for (Region region : model.regions()) {
            blockedExclusions.put(region.code(), Counter.builder("meridian.blocked.region.exclusions")
                    .description("Routing decisions that excluded a region because the effective policy blocked it")
                    .tag("region", region.code())
                    .register(registry));
        }
    }

    private static List<String> strategyLabels() {
        List<String> labels = new java.util.ArrayList<>();
        for (Strategy s : Strategy.values()) {
            labels.add(label(s));
        }
        labels.add(UNKNOWN_STRATEGY);
        return labels;
    }

    public static String label(Strategy strategy) {
        return strategy == null ? UNKNOWN_STRATEGY : strategy.name().toLowerCase(Locale.ROOT);
    }

    /** Counts one answered request and how long it took. */
    public void request(String outcome, String strategy, long nanos) {
        plansCounter(outcome, strategy).increment();
        timer(strategy).record(nanos, TimeUnit.NANOSECONDS);
    }

    /** Counts what the engine decided: participants per data center and blocked regions. */
    public void decision(RoutingOutcome outcome) {
        List<RoutingPlan.Exclusion> excluded;
        if (outcome instanceof RoutingOutcome.Routed r) {
            for (RoutingPlan.DataCenterUse use : r.plan().dataCenters()) {
                Counter c = routed.get(use.id());
                if (c != null) {
                    c.increment(use.participants());
                }
            }
            excluded = r.plan().excluded();
        } else if (outcome instanceof RoutingOutcome.NoPermittedRegion n) {
            excluded = n.excluded();
        } else {
            excluded = ((RoutingOutcome.NoPermittedCapacity) outcome).excluded();
        }
        TreeSet<String> blockedRegions = new TreeSet<>();
        for (RoutingPlan.Exclusion e : excluded) {
            if (e.reason() == ExclusionReason.REGION_BLOCKED) {
                blockedRegions.add(e.region());
            }
        }
        for (String region : blockedRegions) {
            Counter c = blockedExclusions.get(region);
            if (c != null) {
                c.increment();
            }
        }
    }

    private Counter plansCounter(String outcome, String strategy) {
        return plans.computeIfAbsent(outcome + '|' + strategy, k -> Counter.builder("meridian.routing.plans")
                .description("Routing-plan requests answered, by outcome and requested strategy")
                .tag("outcome", outcome).tag("strategy", strategy)
                .register(registry));
    }

    private Timer timer(String strategy) {
        return timers.computeIfAbsent(strategy, s -> Timer.builder("meridian.routing.plan")
                .description("Time to answer a routing-plan request, from body parsing to the plan, by requested strategy")
                .tag("strategy", s)
                .serviceLevelObjectives(BUCKETS)
                .minimumExpectedValue(BUCKETS[0])
                .maximumExpectedValue(BUCKETS[BUCKETS.length - 1])
                .register(registry));
    }
}
