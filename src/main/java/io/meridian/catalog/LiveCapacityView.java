package io.meridian.catalog;

import io.meridian.core.CapacitySnapshot;
import io.meridian.core.DataCenterModel;
import io.meridian.core.DataCenterState;
import io.meridian.core.DataCenterStatus;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The capacity snapshot of this replica, rebuilt from the shared database every second (and at once
 * after a change made here), so plans see other replicas' status changes, load reports and
 * reservations within about a second. Reserving re-checks the database exactly, so a stale snapshot
 * can cost a re-plan but never an over-booking.
 */
@Startup
@ApplicationScoped
public class LiveCapacityView implements CapacityView {

    /** The snapshot with the stored rows it was built from (status reasons, report times). */
    public record Live(CapacitySnapshot snapshot, Map<String, CapacityStore.Row> rows, Instant at) {
    }

    private final DataCenterModel model;
    private final CapacityStore store;
    private final CapacityConfig config;
    private volatile Live current;
    /** Local reservation changes, numbered, kept until a refresh has certainly seen them. */
    private final java.util.concurrent.atomic.AtomicLong changes = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.NavigableMap<Long, Map<String, Integer>> localDeltas = new java.util.concurrent.ConcurrentSkipListMap<>();

    @Inject
    public LiveCapacityView(DataCenterModel model, CapacityStore store, CapacityConfig config) {
        this.model = model;
        this.store = store;
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
     * Rebuilds the snapshot from the database. A local change applied while the database was being
     * read may or may not be in what was read, so such a result is read again (twice at most); after
     * that the local changes are applied on top, which can only overstate reservations until the
     * next refresh, never understate them.
     */
    @Scheduled(every = "${meridian.capacity.refresh-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public void refresh() {
        for (int attempt = 0; ; attempt++) {
            long start = changes.get();
            Instant now = Instant.now();
            Live built = build(now, store.rows(), store.liveReserved(now));
            synchronized (this) {
                if (changes.get() == start || attempt == 2) {
                    Map<String, Integer> since = new HashMap<>();
                    localDeltas.tailMap(start, false).values().forEach(d -> d.forEach((k, v) -> since.merge(k, v, Integer::sum)));
                    current = since.isEmpty() ? built : withReserved(built, since);
                    localDeltas.headMap(start, true).clear();
                    return;
                }
            }
        }
    }

    /**
     * Applies this replica's own reservation change to the snapshot at once (read-your-writes),
     * without a database round trip; the next refresh replaces it with the shared truth.
     *
     * @param delta participants held (positive) or given back (negative) per data center
     */
    public synchronized void adjustReserved(Map<String, Integer> delta) {
        localDeltas.put(changes.incrementAndGet(), Map.copyOf(delta));
        current = withReserved(current, delta);
    }

    private Live withReserved(Live live, Map<String, Integer> delta) {
        Map<String, DataCenterState> states = new HashMap<>();
        for (int i = 0; i < model.size(); i++) {
            String id = model.dataCenter(i).id();
            DataCenterState s = live.snapshot().state(i);
            int reserved = Math.max(0, s.reserved() + delta.getOrDefault(id, 0));
            states.put(id, new DataCenterState(s.status(), s.reportedLoad(), reserved, s.lastReportAt(), s.stale()));
        }
        return new Live(new CapacitySnapshot(model, config.maxUtilization(), states), live.rows(), live.at());
    }

    /** A snapshot from stored rows and live holds as of {@code now}. */
    public Live build(Instant now, Map<String, CapacityStore.Row> rows, Map<String, Integer> reserved) {
        return build(model, config, now, rows, reserved);
    }

    /**
     * The one place where stored rows become data-center states. With a report TTL, a site whose newest
     * report is older than the TTL, or that never reported, is stale: no evidence of its load is no
     * evidence of room.
     */
    static Live build(DataCenterModel model, CapacityConfig config, Instant now, Map<String, CapacityStore.Row> rows,
                      Map<String, Integer> reserved) {
        Map<String, DataCenterState> states = new HashMap<>();
        Optional<Duration> ttl = config.reportTtl();
        for (var dc : model.dataCenters()) {
            CapacityStore.Row row = rows.get(dc.id());
            DataCenterStatus status = row == null ? DataCenterStatus.ACTIVE : row.status();
            int load = row == null || row.reportedLoad() == null ? 0 : row.reportedLoad();
            Instant reportedAt = row == null ? null : row.reportedAt();
            boolean stale = ttl.isPresent() && (reportedAt == null || reportedAt.isBefore(now.minus(ttl.get())));
            states.put(dc.id(), new DataCenterState(status, load, reserved.getOrDefault(dc.id(), 0),
                    Optional.ofNullable(reportedAt), stale));
        }
        return new Live(new CapacitySnapshot(model, config.maxUtilization(), states), Map.copyOf(rows), now);
    }
}
