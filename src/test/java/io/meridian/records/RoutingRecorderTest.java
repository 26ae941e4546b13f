package io.meridian.records;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The recorder without a server: batching, dropping, retrying and the shutdown flush. */
class RoutingRecorderTest {

    /** A sink that keeps what it is given; can be told to fail or to block. */
    static final class Sink implements RoutingRecorder.Sink {
        final List<List<RoutingRecord>> batches = Collections.synchronizedList(new ArrayList<>());
        final List<Boolean> replaced = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger failures = new AtomicInteger();
        volatile CountDownLatch gate = new CountDownLatch(0);

        @Override
        public void write(List<QueuedRecord> batch, boolean replace) {
            try {
                gate.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new IllegalStateException("database away");
            }
            batches.add(batch.stream().map(QueuedRecord::record).toList());
            replaced.add(replace);
        }

        List<String> ids() {
            synchronized (batches) {
                return batches.stream().flatMap(List::stream).map(RoutingRecord::planId).toList();
            }
        }
    }

    static final class Counts implements RoutingRecorder.Listener {
        final AtomicInteger written = new AtomicInteger();
        final AtomicInteger dropped = new AtomicInteger();
        final AtomicInteger failed = new AtomicInteger();
        final List<RoutingRecord> violations = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void written(int records) {
            written.addAndGet(records);
        }

        @Override
        public void dropped(int records) {
            dropped.addAndGet(records);
        }

        @Override
        public void writeFailed(RuntimeException e) {
            failed.incrementAndGet();
        }

        @Override
        public void violation(RoutingRecord record) {
            violations.add(record);
        }
    }

    static RoutingRecord record(int n) {
        return record(String.format("%026d", n), "EU", new TreeSet<>(List.of("CN")));
    }

    static RoutingRecord record(String planId, String region, TreeSet<String> blocked) {
        return new RoutingRecord(planId, 1_000L + planId.hashCode(), "acme", "m-1", "SINGLE", 2,
                List.of(new RoutingRecord.Site(region.toLowerCase() + "-one", region, 2, true)),
                new TreeSet<>(List.of(region)), blocked, Optional.empty(), List.of("request"), null);
    }

    @Test
    void closeWritesEverythingQueuedEvenWhenBatchesWouldWaitAnHour() {
        Sink sink = new Sink();
        Counts counts = new Counts();
        RoutingRecorder recorder = new RoutingRecorder(sink, counts, 1000, 10_000, Duration.ofHours(1));
        for (int i = 0; i < 250; i++) {
            assertThat(recorder.record(QueuedRecord.of(record(i)))).isTrue();
        }
        recorder.close(Duration.ofSeconds(10));

        assertThat(sink.ids()).hasSize(250).doesNotHaveDuplicates();
        assertThat(counts.written).hasValue(250);
        assertThat(counts.dropped).hasValue(0);
    }

    @Test
    void aRecordOfferedAfterCloseIsWrittenAtOnce() {
        Sink sink = new Sink();
        RoutingRecorder recorder = new RoutingRecorder(sink, new Counts(), 10, 10, Duration.ofHours(1));
        recorder.close(Duration.ofSeconds(5));

        assertThat(recorder.record(QueuedRecord.of(record(7)))).isTrue();
        assertThat(sink.ids()).containsExactly(record(7).planId());
    }

    @Test
    void batchesAreWrittenWhenFullWithoutWaitingForTheInterval() {
        Sink sink = new Sink();
        RoutingRecorder recorder = new RoutingRecorder(sink, new Counts(), 1000, 50, Duration.ofHours(1));
        for (int i = 0; i < 120; i++) {
            recorder.record(QueuedRecord.of(record(i)));
        }
        // two full batches go out on their own; the rest waits for the (hour-long) interval or a flush
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (sink.ids().size() < 100 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(sink.ids()).hasSize(100);
        assertThat(sink.batches).allSatisfy(b -> assertThat(b).hasSize(50));

        assertThat(recorder.flush(Duration.ofSeconds(10))).isTrue();
        assertThat(sink.ids()).hasSize(120).doesNotHaveDuplicates();
        recorder.close(Duration.ofSeconds(5));
    }

    @Test
    void aWriterThatFellBehindCatchesUpInLargerBatchesAndDropsNothing() throws InterruptedException {
        Sink sink = new Sink();
        sink.gate = new CountDownLatch(1); // the first batch's transaction is slow
        Counts counts = new Counts();
        RoutingRecorder recorder = new RoutingRecorder(sink, counts, 10_000, 10, 300, Duration.ZERO);
        for (int i = 0; i < 10; i++) {
            recorder.record(QueuedRecord.of(record(i)));
        }
        Thread.sleep(200); // the writer takes what is there (no flush interval) and waits in the sink
        for (int i = 10; i < 1000; i++) {
            recorder.record(QueuedRecord.of(record(i)));
        }
        sink.gate.countDown();
        assertThat(recorder.flush(Duration.ofSeconds(10))).isTrue();

        assertThat(sink.ids()).hasSize(1000).doesNotHaveDuplicates();
        assertThat(counts.dropped).hasValue(0);
        assertThat(sink.batches).allSatisfy(b -> assertThat(b).hasSizeLessThanOrEqualTo(300));
        // behind by 990: the backlog goes out in batches of the catch-up size, not of 10
        assertThat(sink.batches.stream().mapToInt(List::size).max().orElse(0)).isEqualTo(300);
        assertThat(sink.batches.size()).isLessThanOrEqualTo(1 + 4);
        recorder.close(Duration.ofSeconds(5));
    }

    @Test
    void aFullQueueDropsAndCountsButNeverBlocks() {
        Sink sink = new Sink();
        sink.gate = new CountDownLatch(1); // the writer is stuck in the database
        Counts counts = new Counts();
        RoutingRecorder recorder = new RoutingRecorder(sink, counts, 20, 5, Duration.ZERO);
        int accepted = 0;
        for (int i = 0; i < 100; i++) {
            if (recorder.record(QueuedRecord.of(record(i)))) {
                accepted++;
            }
        }
        // at most the queue plus the batch in the writer's hands
        assertThat(accepted).isBetween(20, 25);
        assertThat(counts.dropped).hasValue(100 - accepted);

        sink.gate.countDown();
        assertThat(recorder.flush(Duration.ofSeconds(10))).isTrue();
        assertThat(sink.ids()).hasSize(accepted);
        recorder.close(Duration.ofSeconds(5));
    }

    @Test
    void aFailedBatchIsRetriedAsAReplacementUntilItIsWritten() {
        Sink sink = new Sink();
        sink.failures.set(2);
        Counts counts = new Counts();
        RoutingRecorder recorder = new RoutingRecorder(sink, counts, 100, 100, Duration.ZERO);
        recorder.backoff(Duration.ofMillis(10));
        for (int i = 0; i < 30; i++) {
            recorder.record(QueuedRecord.of(record(i)));
        }
        assertThat(recorder.flush(Duration.ofSeconds(10))).isTrue();

        assertThat(sink.ids()).hasSize(30).doesNotHaveDuplicates();
        assertThat(counts.failed.get()).isGreaterThanOrEqualTo(2);
        // the first successful write of a batch that failed before replaces whatever may have landed
        assertThat(sink.replaced.get(0)).isTrue();
        recorder.close(Duration.ofSeconds(5));
    }

    @Test
    void aRecordTheDatabaseRejectsIsDroppedAloneAndRecordingGoesOn() {
        String bad = record(13).planId();
        List<String> written = Collections.synchronizedList(new ArrayList<>());
        Counts counts = new Counts();
        RoutingRecorder recorder = new RoutingRecorder((batch, replace) -> {
            if (batch.stream().anyMatch(r -> r.record().planId().equals(bad))) {
                throw new IllegalStateException(new java.sql.SQLException("value too long", "22001"));
            }
            batch.forEach(r -> written.add(r.record().planId()));
        }, counts, 100, 100, Duration.ZERO);
        for (int i = 0; i < 20; i++) {
            recorder.record(QueuedRecord.of(record(i)));
        }
        assertThat(recorder.flush(Duration.ofSeconds(10))).isTrue();
        recorder.record(QueuedRecord.of(record(50)));
        recorder.close(Duration.ofSeconds(5));

        assertThat(written).hasSize(20).doesNotContain(bad).contains(record(50).planId());
        assertThat(counts.dropped).hasValue(1);
    }

    @Test
    void aPlanThroughABlockedRegionIsReportedAsAViolation() {
        Counts counts = new Counts();
        RoutingRecorder recorder = new RoutingRecorder(new Sink(), counts, 10, 10, Duration.ZERO);
        recorder.record(QueuedRecord.of(record("0".repeat(26), "EU", new TreeSet<>(List.of("CN")))));
        RoutingRecord bad = record("1".repeat(26), "CN", new TreeSet<>(List.of("CN")));
        recorder.record(QueuedRecord.of(bad));
        recorder.close(Duration.ofSeconds(5));

        assertThat(counts.violations).containsExactly(bad);
    }

    @Test
    void anAllowListLeavesOutEveryOtherRegion() {
        RoutingRecord inside = new RoutingRecord("2".repeat(26), 0, null, null, "SINGLE", 1,
                List.of(new RoutingRecord.Site("eu-fra", "EU", 1, true)), new TreeSet<>(List.of("EU")),
                new TreeSet<>(), Optional.of(new TreeSet<>(List.of("EU"))), List.of("request"), null);
        RoutingRecord outside = new RoutingRecord("3".repeat(26), 0, null, null, "SINGLE", 1,
                List.of(new RoutingRecord.Site("us-sjc", "US", 1, true)), new TreeSet<>(List.of("US")),
                new TreeSet<>(), Optional.of(new TreeSet<>(List.of("EU"))), List.of("request"), null);

        assertThat(inside.violatesPolicy()).isFalse();
        assertThat(outside.violatesPolicy()).isTrue();
    }
}
