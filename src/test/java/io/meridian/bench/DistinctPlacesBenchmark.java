package io.meridian.bench;

import io.meridian.core.Assigner;
import io.meridian.core.CapacitySnapshot;
import io.meridian.core.DataCenterModel;
import io.meridian.core.GreedyBaselineAssigner;
import io.meridian.core.LatencyModel;
import io.meridian.core.MinCostFlowAssigner;
import io.meridian.core.Participant;
import io.meridian.core.RegionPolicy;
import io.meridian.core.RoutingEngine;
import io.meridian.core.RoutingOptions;
import io.meridian.core.RoutingOutcome;
import io.meridian.core.Strategy;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The routing core on a webinar where nobody shares a place: 50,000 participants at 50,000 distinct
 * locations, one AUTO plan. Every location is its own group, so this is where the cost per distinct
 * place shows (pricing, grouping, the optimiser's moves when nearby sites fill up). On
 * {@code generated200} the nearest sites overflow and the optimiser moves thousands of
 * participants. Run with
 * {@code ./mvnw -Pbench test-compile exec:exec -Djmh.args="DistinctPlacesBenchmark"}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
public class DistinctPlacesBenchmark {

    @Param({"bundled", "generated200"})
    public String model;

    @Param({"optimal", "greedy"})
    public String assigner;

    @Param({"50000"})
    public int participants;

    private RoutingEngine engine;
    private CapacitySnapshot snapshot;
    private List<Participant> meeting;
    private final RegionPolicy policy = RegionPolicy.merge(List.of());

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        DataCenterModel dcModel = model.equals("bundled") ? EngineBenchmark.bundled() : EngineBenchmark.generated(200, 42);
        snapshot = CapacitySnapshot.idle(dcModel, 0.85);
        Assigner chosen = assigner.equals("optimal") ? new MinCostFlowAssigner() : new GreedyBaselineAssigner();
        engine = new RoutingEngine(LatencyModel.DEFAULT, chosen);
        meeting = EngineBenchmark.meeting(participants, participants, 11);
        if (!(plan() instanceof RoutingOutcome.Routed)) {
            throw new IllegalStateException("benchmark instance is not routable");
        }
    }

    @Benchmark
    public RoutingOutcome plan() {
        return engine.plan(meeting, policy, Strategy.AUTO, RoutingOptions.DEFAULT, snapshot);
    }
}
