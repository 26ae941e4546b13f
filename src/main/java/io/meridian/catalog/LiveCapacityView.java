package io.meridian.catalog;

import io.meridian.core.CapacitySnapshot;
import io.meridian.core.DataCenterModel;
import io.meridian.core.DataCenterState;
import io.meridian.core.DataCenterStatus;
import io.meridian.ledger.CapacityLedger;
import io.meridian.ledger.CommitObserver;
import io.meridian.ledger.Holds;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;

/**
 * The capacity snapshot of this replica, rebuilt from the shared database every second (and at once
 * after a change made here), so plans see other replicas' status changes, load reports and holds
 * within about a second. Status and reports come from {@link CapacityStore}, held places from the
 * {@link CapacityLedger}. Holding re-checks the database exactly, so a stale snapshot can cost a
 * re-plan but never an over-booking.
 */
@Startup
@ApplicationScoped
public class LiveCapacityView implements CapacityView, CommitObserver {

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(LiveCapacityView.class);

    /** The snapshot with the stored rows it was built from (status reasons, report times). */
    public record Live(CapacitySnapshot snapshot, Map<String, CapacityStore.Row> rows, Instant at) {
    }

    private final DataCenterModel model;
    private final CapacityStore store;
    private final Function<Instant, Map<String, Holds>> held;
    private final CapacityConfig config;
    private volatile Live current;
    /**
     * Taken shared by a change of holds on this replica from just before its commit until its change
     * is applied to {@link #current}, and exclusively by a refresh while it reads the database. So a
     * refresh never reads a change that is committed but not yet applied here, which applying it
     * afterwards would count twice: this replica's own numbers are exact at once. Only the commit is
     * inside: a change waiting for row locks (another replica's batch) holds up no refresh.
     */
    private final ReentrantReadWriteLock changes = new ReentrantReadWriteLock();

    @Inject
    public LiveCapacityView(DataCenterModel model, CapacityStore store, CapacityLedger ledger, CapacityConfig config) {
        this(model, store, ledger::held, config);
    }

    /** @param held the places held per data center at an instant (the ledger's, or a test's) */
    LiveCapacityView(DataCenterModel model, CapacityStore store, Function<Instant, Map<String, Holds>> held,
                     CapacityConfig config) {
        this.model = model;
        this.store = store;
        this.held = held;
        this.config = config;
        store.seed();
        refresh();
    }

    @Override
    public CapacitySnapshot snapshot() {
        return current.snapshot();
    }

    public Live live() {
        return current;
    }

    /**
     * Rebuilds the snapshot from the database, after any commit of a change of holds under way on
     * this replica has been applied (see {@link CommitGuard}; a commit takes milliseconds).
     */
    public void refresh() {
        if (changes.getReadHoldCount() > 0) {
            throw new IllegalStateException("a change of holds cannot wait for a refresh that waits for it");
        }
        // the connection first, then the lock: see CapacityStore.withConnection
        store.withConnection(() -> {
            changes.writeLock().lock();
            try {
                Instant now = Instant.now();
                current = build(model, config, now, store.rows(), held.apply(now));
            } finally {
                changes.writeLock().unlock();
            }
        });
    }

    /** A guard for the commit of one change of holds, used by one thread. */
    public CommitGuard commitGuard() {
        return new CommitGuard();
    }

    @Override
    public Guard guard() {
        return commitGuard();
    }

    /**
     * Brackets the commit of one change of holds, so that this replica's snapshot shows it the
     * moment it commits, exactly once (read-your-writes without a database round trip; the next
     * refresh replaces it with the shared truth, which by then includes it). The transaction calls
     * {@link #committing()} as its last step, after every statement; after the commit the caller
     * calls {@link #applied}; and {@link #release()} in a finally block, for a commit that failed.
     */
    public final class CommitGuard implements Guard {
        private boolean held;

        private CommitGuard() {
        }

        /** From here until {@link #applied} or {@link #release()}, no refresh reads the database. */
        @Override
        public void committing() {
            if (!held) {
                changes.readLock().lock();
                held = true;
            }
        }

        /**
         * Applies the committed change to the snapshot and lets refreshes read again. Never throws: the
         * change is committed, and a snapshot it failed to reach is corrected by the next refresh.
         *
         * @param delta places held (positive) or given back (negative) per data center
         */
        @Override
        public void applied(Map<String, Holds> delta) {
            try {
                if (!delta.isEmpty()) {
                    synchronized (LiveCapacityView.this) {
                        current = withHolds(current, delta);
                    }
                }
            } catch (RuntimeException e) {
                LOG.error("A committed change of holds did not reach the capacity snapshot; the next refresh "
                        + "corrects it", e);
            } finally {
                release();
            }
        }

        /** Lets refreshes read again without applying anything (the commit failed); idempotent. */
        @Override
        public void release() {
            if (held) {
                held = false;
                changes.readLock().unlock();
            }
        }
    }

    private Live withHolds(Live live, Map<String, Holds> delta) {
        Map<String, DataCenterState> states = new HashMap<>();
        for (int i = 0; i < model.size(); i++) {
            String id = model.dataCenter(i).id();
            DataCenterState s = live.snapshot().state(i);
            Holds change = delta.getOrDefault(id, Holds.NONE);
            states.put(id, s.withHolds(Math.max(0, s.reserved() + change.reserved()),
                    Math.max(0, s.live() + change.live()), Math.max(0, s.liveAtReport() + change.liveAtReport())));
        }
        return new Live(new CapacitySnapshot(model, config.maxUtilization(), states), live.rows(), live.at());
    }


    /**
     * The one place where stored rows become data-center states. With a report TTL, a site whose newest
     * report is older than the TTL, or that never reported, is stale: no evidence of its load is no
     * evidence of room.
     */
    static Live build(DataCenterModel model, CapacityConfig config, Instant now, Map<String, CapacityStore.Row> rows,
                      Map<String, Holds> held) {
        Map<String, DataCenterState> states = new HashMap<>();
        Optional<Duration> ttl = config.reportTtl();
        for (var dc : model.dataCenters()) {
            CapacityStore.Row row = rows.get(dc.id());
            DataCenterStatus status = row == null ? DataCenterStatus.ACTIVE : row.status();
            int load = row == null || row.reportedLoad() == null ? 0 : row.reportedLoad();
            Instant reportedAt = row == null ? null : row.reportedAt();
            boolean stale = ttl.isPresent() && (reportedAt == null || reportedAt.isBefore(now.minus(ttl.get())));
            Holds h = held.getOrDefault(dc.id(), Holds.NONE);
            states.put(dc.id(), new DataCenterState(status, load, h.reserved(), Optional.ofNullable(reportedAt), stale,
                    h.live(), h.liveAtReport()));
        }
        return new Live(new CapacitySnapshot(model, config.maxUtilization(), states), Map.copyOf(rows), now);
    }
}
