package io.meridian.catalog;

import io.meridian.core.DataCenterModel;
import io.meridian.core.DataCenterStatus;
import io.meridian.core.LatencyModel;
import io.meridian.ledger.Holds;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class LiveCapacityViewTest {

    private static DataCenterModel model() throws Exception {
        try (InputStream in = LiveCapacityViewTest.class.getClassLoader().getResourceAsStream(ModelLoader.BUNDLED)) {
            return ModelLoader.load("bundled", in, LatencyModel.BACKBONE);
        }
    }

    private static CapacityConfig config(Optional<Duration> ttl) {
        return new CapacityConfig() {
            public double maxUtilization() {
                return 0.85;
            }

            public Optional<Duration> reportTtl() {
                return ttl;
            }

            public Duration refreshInterval() {
                return Duration.ofSeconds(1);
            }
        };
    }

    @Test
    void headroomShouldSubtractLoadAndLiveHolds() throws Exception {
        DataCenterModel model = model();
        Instant now = Instant.parse("2026-11-23T07:00:00Z");
        var rows = Map.of("eu-fra", new CapacityStore.Row("eu-fra", DataCenterStatus.ACTIVE, null, null, null, 1000,
                now.minusSeconds(5)));
        var live = LiveCapacityView.build(model, config(Optional.empty()), now, rows, Map.of("eu-fra", Holds.reserved(250)));
        int fra = model.indexOf("eu-fra");
        assertThat(live.snapshot().headroom(fra)).isEqualTo(29750 - 1000 - 250);
        assertThat(live.snapshot().state(fra).reserved()).isEqualTo(250);
        assertThat(live.snapshot().utilization(fra)).isEqualTo(1250 / 35000.0);
        assertThat(live.snapshot().state(fra).stale()).isFalse();
    }

    @Test
    void withATtlOldOrMissingReportsShouldBeStale() throws Exception {
        DataCenterModel model = model();
        Instant now = Instant.parse("2026-11-23T07:00:00Z");
        var rows = Map.of(
                "eu-fra", new CapacityStore.Row("eu-fra", DataCenterStatus.ACTIVE, null, null, null, 10, now.minusSeconds(30)),
                "eu-ams", new CapacityStore.Row("eu-ams", DataCenterStatus.ACTIVE, null, null, null, 10, now.minusSeconds(300)));
        var live = LiveCapacityView.build(model, config(Optional.of(Duration.ofMinutes(2))), now, rows, Map.of());
        assertThat(live.snapshot().state(model.indexOf("eu-fra")).stale()).isFalse();
        assertThat(live.snapshot().state(model.indexOf("eu-ams")).stale()).isTrue();
        assertThat(live.snapshot().state(model.indexOf("eu-dub")).stale()).as("never reported").isTrue();
        var noTtl = LiveCapacityView.build(model, config(Optional.empty()), now, rows, Map.of());
        assertThat(noTtl.snapshot().state(model.indexOf("eu-ams")).stale()).isFalse();
    }

    /** A database of one number: the places reserved on eu-fra. */
    private static final class OneCounterStore extends CapacityStore {
        final java.util.concurrent.atomic.AtomicInteger held = new java.util.concurrent.atomic.AtomicInteger();

        final DataCenterModel model;

        OneCounterStore(DataCenterModel model) {
            super(null, null, model, null, null);
            this.model = model;
        }

        @Override
        public void seed() {
        }

        @Override
        public void withConnection(Runnable work) {
            work.run();
        }

        @Override
        public Map<String, Row> rows() {
            return Map.of();
        }

        Map<String, Holds> held(Instant now) {
            return Map.of("eu-fra", Holds.reserved(held.get()));
        }
    }

    /**
     * A refresh that comes between a reservation's commit and its being applied here must not count
     * it twice (read from the database, then applied on top): it waits for the change to be applied.
     */
    @Test
    void aRefreshDuringAReservationCommitShouldNotCountItTwice() throws Exception {
        OneCounterStore store = new OneCounterStore(model());
        LiveCapacityView view = new LiveCapacityView(store.model, store, store::held, config(Optional.empty()));
        int fra = store.model.indexOf("eu-fra");
        var committed = new java.util.concurrent.CountDownLatch(1);
        var apply = new java.util.concurrent.CountDownLatch(1);
        var change = java.util.concurrent.CompletableFuture.runAsync(() -> {
            LiveCapacityView.CommitGuard guard = view.commitGuard();
            try {
                guard.committing();
                store.held.addAndGet(100);
                committed.countDown();
                apply.await();
                guard.applied(Map.of("eu-fra", Holds.reserved(100)));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            } finally {
                guard.release();
            }
        });
        committed.await();
        Thread refresher = new Thread(view::refresh, "refresher");
        refresher.start();
        // the refresh either waits for the change (WAITING) or, if it does not, finishes reading
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (refresher.getState() != Thread.State.WAITING && refresher.isAlive() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        apply.countDown();
        change.get(10, java.util.concurrent.TimeUnit.SECONDS);
        refresher.join(10_000);
        assertThat(view.snapshot().state(fra).reserved()).isEqualTo(100);
        view.refresh();
        assertThat(view.snapshot().state(fra).reserved()).isEqualTo(100);
    }

    /**
     * Only the commit holds refreshes up: a change still running its statements (waiting for row
     * locks, say) does not. A failed commit applies nothing; a refresh from inside a commit fails
     * instead of hanging.
     */
    @Test
    void onlyTheCommitShouldHoldRefreshesUpAndAFailedOneShouldApplyNothing() throws Exception {
        OneCounterStore store = new OneCounterStore(model());
        LiveCapacityView view = new LiveCapacityView(store.model, store, store::held, config(Optional.empty()));
        int fra = store.model.indexOf("eu-fra");
        LiveCapacityView.CommitGuard running = view.commitGuard();
        store.held.set(7);
        var other = java.util.concurrent.CompletableFuture.runAsync(view::refresh);
        other.get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(view.snapshot().state(fra).reserved()).isEqualTo(7);
        running.release();

        LiveCapacityView.CommitGuard failed = view.commitGuard();
        failed.committing();
        org.assertj.core.api.Assertions.assertThatThrownBy(view::refresh).isInstanceOf(IllegalStateException.class);
        failed.release();
        failed.release();
        assertThat(view.snapshot().state(fra).reserved()).isEqualTo(7);
        view.refresh();
        assertThat(view.snapshot().state(fra).reserved()).isEqualTo(7);
    }
}
