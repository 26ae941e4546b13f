package io.meridian.bench;

import io.meridian.core.CapacitySnapshot;
import io.meridian.core.LatencyModel;
import io.meridian.core.MinCostFlowAssigner;
import io.meridian.core.Participant;
import io.meridian.core.RegionPolicy;
import io.meridian.core.RoutingEngine;
import io.meridian.core.RoutingOptions;
import io.meridian.core.RoutingOutcome;
import io.meridian.core.RoutingPlan;
import io.meridian.core.Strategy;
import io.meridian.records.PlanIds;
import io.meridian.records.RecordLines;
import io.meridian.records.RoutingRecord;
import io.meridian.transparency.LogEntries;
import io.meridian.transparency.log.KeyedHashes;
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

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Java work of recording one 10-participant plan, without threads, queues or a database: the
 * record made from the plan, its transparency-log entry (canonical bytes and leaf hash, the
 * receipt's work on the request thread) and its line for the reports (the writer's work). Set
 * against the service CPU that recording adds per plan in {@code bench/records.sh}, it says how much
 * of that is the code's own work and how much is the rest (hand-over between cores, the writer's
 * and PostgreSQL's share of the two cores). Run with
 * {@code ./mvnw -Pbench test-compile exec:exec -Djmh.args="RecordingBenchmark"}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx256m"})
public class RecordingBenchmark {

    /** {@code none}: a plan without an account, as bench/records.sh's paced step; {@code account}: with one and a meeting. */
    @Param({"none", "account"})
    public String account;

    private RoutingPlan plan;
    private LogEntries entries;
    private RoutingRecord record;
    private String accountId;
    private String meetingId;
    private final StringBuilder line = new StringBuilder(512);

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        CapacitySnapshot snapshot = CapacitySnapshot.idle(EngineBenchmark.bundled(), 0.85);
        RoutingEngine engine = new RoutingEngine(LatencyModel.DEFAULT, new MinCostFlowAssigner());
        List<Participant> meeting = EngineBenchmark.meeting(10, 10, 7);
        RoutingOutcome outcome = engine.plan(meeting, RegionPolicy.merge(List.of()), Strategy.AUTO,
                RoutingOptions.DEFAULT, snapshot);
        plan = ((RoutingOutcome.Routed) outcome).plan();
        entries = new LogEntries(new KeyedHashes("bench-secret-of-thirty-two-bytes".getBytes(StandardCharsets.UTF_8)));
        accountId = account.equals("account") ? "bench-account" : null;
        meetingId = account.equals("account") ? "bench-meeting" : null;
        record = record();
    }

    /** The record of the plan (its sets and lists copied from the plan). */
    @Benchmark
    public RoutingRecord record() {
        return RoutingRecord.of(PlanIds.next(System.currentTimeMillis()), System.currentTimeMillis(), accountId,
                meetingId, plan, null, 0);
    }

    /** The record's log entry, encoded and hashed: what the receipt costs the request thread. */
    @Benchmark
    public LogEntries.Encoded entry() {
        return entries.encode(record);
    }

    /** The record's line for the reports, as the writer builds it. */
    @Benchmark
    public int line() {
        line.setLength(0);
        return RecordLines.append(line, record).length();
    }
}
