package io.meridian.bench;

import io.meridian.core.CapacitySnapshot;
import io.meridian.core.DataCenterModel;
import io.meridian.core.GeoPoint;
import io.meridian.core.JoinOutcome;
import io.meridian.core.JoinPlacement;
import io.meridian.core.LatencyModel;
import io.meridian.core.MeetingSites;
import io.meridian.core.MeetingTopology;
import io.meridian.core.Participant;
import io.meridian.core.RegionPolicy;
import io.meridian.core.RoutingOptions;
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

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The core's part of one live join, on the bundled model: {@link JoinPlacement#place} alone, and
 * with what a join then does to the aggregates and the meeting view ({@code withJoin},
 * {@link MeetingTopology#of}). The meeting is spread over six data centers on three continents,
 * with 10 or 10,000 participants: the cost must not depend on the count. Joiners come from 64
 * random places, in turn. Run with
 * {@code ./mvnw -Pbench test-compile exec:exec -Djmh.args="JoinPlacementBenchmark"}; results go to
 * {@code docs/benchmarks.md}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
public class JoinPlacementBenchmark {

    /** The data centers the meeting uses. */
    static final List<String> USED = List.of("eu-fra", "eu-ams", "us-nyc", "us-sjc", "sg-sin", "jp-tyo");

    @Param({"10", "10000"})
    public int participants;

    private final JoinPlacement placement = new JoinPlacement(LatencyModel.DEFAULT);
    private final RegionPolicy policy = RegionPolicy.merge(List.of());
    private DataCenterModel model;
    private CapacitySnapshot snapshot;
    private MeetingSites meeting;
    private Participant[] joiners;
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        model = EngineBenchmark.bundled();
        snapshot = CapacitySnapshot.idle(model, 0.85);
        meeting = meeting(model, participants, 11);
        Random random = new Random(5);
        joiners = new Participant[64];
        for (int i = 0; i < joiners.length; i++) {
            joiners[i] = new Participant("joiner-" + i,
                    new GeoPoint(-45 + random.nextDouble() * 105, -180 + random.nextDouble() * 360));
        }
        if (!(place() instanceof JoinOutcome.Placed)) {
            throw new IllegalStateException("benchmark meeting takes no join");
        }
    }

    /**
     * {@code n} participants on the {@link #USED} data centers in turn, each with an access RTT
     * between 5 and 60 ms, the cascade fixed as the ledger would keep it.
     */
    static MeetingSites meeting(DataCenterModel model, int n, long seed) {
        Random random = new Random(seed);
        Map<String, List<Double>> rtts = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            rtts.computeIfAbsent(USED.get(i % USED.size()), k -> new ArrayList<>()).add(5 + random.nextDouble() * 55);
        }
        List<MeetingSites.Site> sites = new ArrayList<>();
        rtts.forEach((dc, list) -> sites.add(MeetingSites.Site.of(dc, list, 0)));
        MeetingSites aggregates = new MeetingSites(sites);
        return aggregates.withCascade(MeetingTopology.of(aggregates, model).cascade().orElseThrow());
    }

    private Participant joiner() {
        Participant p = joiners[next];
        next = (next + 1) & (joiners.length - 1);
        return p;
    }

    @Benchmark
    public JoinOutcome place() {
        return placement.place(joiner(), meeting, policy, snapshot, RoutingOptions.DEFAULT);
    }

    /** Placement, the aggregates after the join, and the meeting view the answer carries. */
    @Benchmark
    public MeetingTopology placeAndDescribe() {
        JoinOutcome.Placed placed = (JoinOutcome.Placed) placement.place(joiner(), meeting, policy, snapshot,
                RoutingOptions.DEFAULT);
        return MeetingTopology.of(meeting.withJoin(placed.dataCenter(), placed.rttMs()), model);
    }
}
