package io.meridian.bench;

import io.meridian.catalog.ModelLoader;
import io.meridian.core.Assigner;
import io.meridian.core.CapacitySnapshot;
import io.meridian.core.DataCenter;
import io.meridian.core.DataCenterModel;
import io.meridian.core.GeoPoint;
import io.meridian.core.GreedyBaselineAssigner;
import io.meridian.core.LatencyModel;
import io.meridian.core.MinCostFlowAssigner;
import io.meridian.core.Participant;
import io.meridian.core.Region;
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

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The routing core alone (no HTTP, no JSON): one AUTO plan, which evaluates both SINGLE and CASCADE.
 * Run with {@code ./mvnw -Pbench test-compile exec:exec}; results go to {@code docs/benchmarks.md}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
public class EngineBenchmark {

    /** {@code bundled}: the shipped 21-site model; {@code generated200}: 200 sites around the world. */
    @Param({"bundled", "generated200"})
    public String model;

    @Param({"10", "1000", "50000"})
    public int participants;

    /** Distinct locations the participants are spread over. */
    @Param({"20", "2000"})
    public int locations;

    /** {@code optimal}: min-cost flow; {@code greedy}: the nearest-with-room baseline. */
    @Param({"optimal", "greedy"})
    public String assigner;

    private RoutingEngine engine;
    private CapacitySnapshot snapshot;
    private List<Participant> meeting;
    private final RegionPolicy policy = RegionPolicy.merge(List.of());

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        DataCenterModel dcModel = model.equals("bundled") ? bundled() : generated(200, 42);
        snapshot = CapacitySnapshot.idle(dcModel, 0.85);
        Assigner chosen = assigner.equals("optimal") ? new MinCostFlowAssigner() : new GreedyBaselineAssigner();
        engine = new RoutingEngine(LatencyModel.DEFAULT, chosen);
        meeting = meeting(participants, locations, 7);
        RoutingOutcome check = plan();
        if (!(check instanceof RoutingOutcome.Routed)) {
            throw new IllegalStateException("benchmark instance is not routable: " + check);
        }
    }

    @Benchmark
    public RoutingOutcome plan() {
        return engine.plan(meeting, policy, Strategy.AUTO, RoutingOptions.DEFAULT, snapshot);
    }

    static DataCenterModel bundled() throws Exception {
        try (InputStream in = EngineBenchmark.class.getClassLoader().getResourceAsStream(ModelLoader.BUNDLED)) {
            return ModelLoader.load("bundled", in, LatencyModel.BACKBONE);
        }
    }

    /**
     * {@code count} sites at random places between 45°S and 60°N in ten longitude-band regions,
     * capacities 300-3,000, so that a 50,000-participant meeting fills its nearest sites and the
     * optimiser has to move participants (total usable headroom about 280,000).
     */
    public static DataCenterModel generated(int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Region> regions = new ArrayList<>();
        for (int r = 0; r < 10; r++) {
            regions.add(new Region("R" + r, "Band " + r));
        }
        List<DataCenter> sites = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            double lat = -45 + random.nextDouble() * 105;
            double lon = -180 + random.nextDouble() * 360;
            int band = Math.min(9, (int) ((lon + 180) / 36));
            sites.add(new DataCenter(String.format("g-%03d", i), "Site " + i, "R" + band, new GeoPoint(lat, lon),
                    300 + random.nextInt(2701)));
        }
        return new DataCenterModel(regions, sites, LatencyModel.BACKBONE);
    }

    /** {@code n} participants spread round-robin over {@code distinct} random places. */
    public static List<Participant> meeting(int n, int distinct, long seed) {
        Random random = new Random(seed);
        List<GeoPoint> places = new ArrayList<>();
        for (int i = 0; i < Math.min(n, distinct); i++) {
            places.add(new GeoPoint(-45 + random.nextDouble() * 105, -180 + random.nextDouble() * 360));
        }
        List<Participant> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            list.add(new Participant("p" + i, places.get(i % places.size())));
        }
        return list;
    }
}
