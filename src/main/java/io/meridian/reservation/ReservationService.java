package io.meridian.reservation;

import io.meridian.catalog.CapacityStore;
import io.meridian.catalog.Jdbc;
import io.meridian.catalog.LiveCapacityView;
import io.meridian.core.CapacitySnapshot;
import io.meridian.core.DataCenterModel;
import io.meridian.core.DataCenterStatus;
import io.meridian.core.RoutingPlan;
import io.meridian.web.TransientFailures;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Holds plans' participants on data centers under leases, exactly across replicas: the rows of the
 * plan's data centers are locked, their headroom recomputed from the database (status, newest load,
 * live holds), and the holds inserted only if every data center still has room: all or nothing.
 */
@ApplicationScoped
public class ReservationService {

    private static final Logger LOG = Logger.getLogger(ReservationService.class);

    /** The result of one attempt to hold a plan. */
    public sealed interface Attempt {
        /** Held; {@code reservation} is what the client gets. */
        record Held(ReservationView reservation) implements Attempt {
        }

        /** Another request took the room first: re-plan. {@code shortfall} participants did not fit. */
        record Taken(int shortfall) implements Attempt {
        }
    }

    private final EntityManager em;
    private final DataSource dataSource;
    private final CapacityStore store;
    private final LiveCapacityView capacity;
    private final DataCenterModel model;
    private final ReservationConfig config;

    @Inject
    public ReservationService(EntityManager em, DataSource dataSource, CapacityStore store, LiveCapacityView capacity,
                              DataCenterModel model, ReservationConfig config) {
        this.em = em;
        this.dataSource = dataSource;
        this.store = store;
        this.capacity = capacity;
        this.model = model;
        this.config = config;
    }

    public int maxAttempts() {
        return Math.max(1, config.maxAttempts());
    }

    /** One reserving request waiting for the holder thread. */
    private record Pending(String reservationId, RoutingPlan plan, String meetingId, String caller,
                           Consumer<ReservationView> alsoInTransaction, CompletableFuture<Attempt> result) {
    }

    /**
     * Holds the plan's participants, and runs {@code alsoInTransaction} (for the idempotency record)
     * in the same transaction. Nothing is held unless every data center of the plan has room.
     *
     * <p>Group commit: the request waits while one holder thread takes every reserving request
     * queued at that moment (up to {@code meridian.reservation.batch-size}), locks the union of their
     * data-center rows once, checks them one after the other against the headroom left by those
     * before (queue order), and writes the holds of all that fit in one transaction. Each request
     * gets its own answer; the row locks are held once per batch instead of once per request, which
     * is what bounded reservations per second when every request wanted the same sites. If the batch
     * transaction fails as a whole (a database error, or two requests with one Idempotency-Key), each
     * of its requests is retried in a transaction of its own, so one request's conflict is only its own
     * (see {@link #runEachAlone}). No row lock is waited for longer than
     * {@code meridian.reservation.lock-timeout}; past it the request fails with the database's
     * transient error, which the API answers 503 temporarily-unavailable.
     */
    public Attempt hold(String reservationId, RoutingPlan plan, String meetingId, String caller,
                        Consumer<ReservationView> alsoInTransaction) {
        requireNoTransaction();
        Pending pending = new Pending(reservationId, plan, meetingId, caller, alsoInTransaction,
                new CompletableFuture<>());
        if (config.batchSize() <= 1) {
            return together(List.of(pending), List.of(), config.lockTimeout()).holds()[0];
        }
        return await(pending, pending.result());
    }

    /** A release waiting for the holder thread; the answer is whether it released the reservation. */
    private record Release(String id, CompletableFuture<Boolean> result) {
    }

    /** Queues a job for the holder thread and waits for its answer. */
    private <T> T await(Object job, CompletableFuture<T> result) {
        queue.add(job);
        startHolder();
        try {
            return result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the reservation holder", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private volatile Thread holder;

    private synchronized void startHolder() {
        if (holder == null || !holder.isAlive()) {
            holder = new Thread(this::holdQueued, "reservation-holder");
            holder.setDaemon(true);
            holder.start();
        }
    }

    private void holdQueued() {
        List<Object> batch = new ArrayList<>();
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Object first = queue.poll(1, TimeUnit.SECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, Math.max(0, config.batchSize() - 1));
                runBatch(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException | Error e) {
                // never leave a request waiting, never let the holder die
                batch.forEach(job -> fail(job, e));
                LOG.error("Reservation holder failed", e);
            } finally {
                batch.clear();
            }
        }
        // stopping: nobody will hold what is still queued
        List<Object> left = new ArrayList<>();
        queue.drainTo(left);
        left.forEach(job -> fail(job, new IllegalStateException("the service is stopping")));
    }

    private static void fail(Object job, Throwable e) {
        if (job instanceof Pending p) {
            p.result().completeExceptionally(e);
        } else {
            ((Release) job).result().completeExceptionally(e);
        }
    }

    @PreDestroy
    void stopHolder() {
        Thread running = holder;
        if (running != null) {
            running.interrupt();
        }
    }

    /** Runs a batch in one transaction; on failure, each job on its own. Completes every future. */
    private void runBatch(List<Object> batch) {
        List<Pending> holds = new ArrayList<>();
        List<Release> releases = new ArrayList<>();
        for (Object job : batch) {
            if (job instanceof Pending p) {
                holds.add(p);
            } else {
                releases.add((Release) job);
            }
        }
        Results results;
        try {
            results = together(holds, releases, config.lockTimeout());
        } catch (RuntimeException e) {
            if (batch.size() == 1 || hitsEveryJob(e)) {
                // one job; or a commit that may have gone through; or the database away or the pool
                // empty, which each job alone would wait out again: every job gets this answer
                if (batch.size() > 1) {
                    LOG.warnf("A batch of %d reservation jobs failed (%s)", batch.size(), e.getMessage());
                }
                batch.forEach(job -> fail(job, e));
                return;
            }
            runEachAlone(batch, e);
            return;
        }
        for (int i = 0; i < holds.size(); i++) {
            holds.get(i).result().complete(results.holds()[i]);
        }
        for (int i = 0; i < releases.size(); i++) {
            releases.get(i).result().complete(results.released().get(i));
        }
    }

    /**
     * After the batch failed as a whole on a request's own conflict (two requests with one
     * Idempotency-Key) or on a lock conflict: each job in a transaction of its own, so one request's
     * conflict is only its own. After a lock conflict (most often a lock waited out: some data
     * center's row stuck in another session), the jobs wait a tenth of the lock timeout each, and a
     * hold that needs every data center of one that timed out fails at once with the same answer:
     * jobs on other sites still go through, and the holder is back to the queue after about one
     * short wait per stuck site instead of one full wait per job. A job failing because the database
     * is away, or in its commit, ends the pass: the remaining jobs get that answer.
     */
    private void runEachAlone(List<Object> batch, RuntimeException failure) {
        boolean transientFailure = TransientFailures.isTransient(failure);
        Duration wait = transientFailure ? config.lockTimeout().dividedBy(10) : config.lockTimeout();
        LOG.debugf("A batch of %d reservation jobs failed (%s); running each on its own", batch.size(),
                failure.getMessage());
        // the sites of holds that waited out a lock: a hold that needs all of one such set waits
        // for the same stuck row (a hold that needs only some of them may not)
        List<Set<String>> stuck = new ArrayList<>();
        RuntimeException stuckBy = null;
        RuntimeException away = null;
        for (Object job : batch) {
            if (away != null) {
                fail(job, away);
                continue;
            }
            try {
                if (job instanceof Pending p) {
                    Set<String> sites = sitesOf(p);
                    if (stuckBy != null && stuck.stream().anyMatch(sites::containsAll)) {
                        fail(job, stuckBy);
                        continue;
                    }
                    try {
                        p.result().complete(together(List.of(p), List.of(), wait).holds()[0]);
                    } catch (RuntimeException alone) {
                        if (TransientFailures.isLockConflict(alone)) {
                            stuck.add(sites);
                            stuckBy = alone;
                        }
                        throw alone;
                    }
                } else {
                    Release r = (Release) job;
                    r.result().complete(together(List.of(), List.of(r), wait).released().get(0));
                }
            } catch (RuntimeException alone) {
                fail(job, alone);
                if (hitsEveryJob(alone)) {
                    // the database is away (or a commit's outcome unknown): the rest would fare no better
                    away = alone;
                }
            }
        }
        if (stuckBy != null) {
            LOG.warnf("Reservations on data centers %s failed on a lock waited out (%s)", stuck, stuckBy.getMessage());
        }
    }

    /** A commit whose outcome is unknown, or the database away: no job would fare better alone. */
    private static boolean hitsEveryJob(RuntimeException e) {
        return e instanceof CommitUncertain || TransientFailures.isOutage(e);
    }

    private static Set<String> sitesOf(Pending p) {
        Set<String> sites = new HashSet<>();
        p.plan().dataCenters().forEach(use -> sites.add(use.id()));
        return sites;
    }

    /**
     * Answers of one transaction: per hold its attempt, per release whether it released; {@code delta} is
     * what it changed per data center, holds positive and releases negative.
     */
    private record Results(Attempt[] holds, List<Boolean> released, Map<String, Integer> delta) {
    }

    /**
     * One transaction on one connection, in plain JDBC (the Hibernate query layer cost more than the
     * statements): lock the rows of every data center the jobs touch (in id order, so concurrent
     * transactions never deadlock); release first (delete the live reservations, take their holds off
     * the counters); then read headroom from the locked rows and take the holds in order, each all or
     * nothing against what the earlier ones left. Ten statements per batch, however many jobs; no
     * lock is waited for longer than {@code lockWait}.
     */
    private Results together(List<Pending> batch, List<Release> releases, Duration lockWait) {
        LiveCapacityView.CommitGuard guard = capacity.commitGuard();
        boolean[] committing = {false};
        try {
            Results results = QuarkusTransaction.requiringNew().call(() -> {
                try (Connection c = dataSource.getConnection()) {
                    Results done = together(c, batch, releases, lockWait);
                    guard.committing();
                    committing[0] = true;
                    return done;
                }
            });
            guard.applied(results.delta());
            return results;
        } catch (RuntimeException e) {
            if (committing[0]) {
                throw new CommitUncertain(e);
            }
            throw e;
        } finally {
            guard.release();
        }
    }

    /**
     * The transaction failed in its commit: it may have committed all the same. Its jobs are not
     * retried (a retried release would answer 404 for what it released; a retried hold would hold
     * twice); the cause decides the answer (503 when transient), and the next capacity refresh reads
     * what the database has.
     */
    static final class CommitUncertain extends RuntimeException {
        CommitUncertain(RuntimeException cause) {
            super("the reservation transaction failed in its commit: " + cause.getMessage(), cause);
        }
    }

    /**
     * Reservations are changed in transactions of their own, on the holder thread. A caller inside a
     * transaction could hold row locks that the holder then waits for while the caller waits for it.
     */
    private static void requireNoTransaction() {
        if (QuarkusTransaction.isActive()) {
            throw new IllegalStateException("reservations are changed in transactions of their own, not inside another");
        }
    }

    private Results together(Connection c, List<Pending> batch, List<Release> releases, Duration lockWait)
            throws SQLException {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        TreeSet<String> ids = new TreeSet<>();
        for (Pending p : batch) {
            for (RoutingPlan.DataCenterUse use : p.plan().dataCenters()) {
                ids.add(use.id());
            }
        }
        // the holds of the reservations to release, read before the locks to know which rows to lock
        TreeSet<String> releaseIds = new TreeSet<>();
        releases.forEach(r -> releaseIds.add(r.id()));
        Map<String, Map<String, Integer>> backs = holdsOf(c, releaseIds, true, now);
        TreeSet<String> touched = new TreeSet<>(ids);
        backs.values().forEach(back -> touched.addAll(back.keySet()));
        CapacityStore.limitLockWait(c, lockWait);
        store.lockRows(c, touched);
        // the clock again after the locks, which may have been waited for: a reservation that expired
        // meanwhile is no longer live (and no longer counted by this replica's snapshot)
        now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        // under the locks nobody else deletes them (every deleter locks their rows first): what is
        // still live now is exactly what this statement deletes
        Set<String> live = liveAmong(c, backs.keySet(), now);
        deleteReservations(c, live);
        List<Boolean> released = new ArrayList<>(releases.size());
        Map<String, Integer> delta = new HashMap<>();
        Set<String> answered = new HashSet<>();
        for (Release r : releases) {
            // the same reservation released twice in one batch gives its holds back once
            boolean gives = live.contains(r.id()) && answered.add(r.id());
            if (gives) {
                backs.get(r.id()).forEach((dc, n) -> delta.merge(dc, n, Integer::sum));
            }
            released.add(gives);
        }
        Attempt[] results = new Attempt[batch.size()];
        if (!batch.isEmpty()) {
            holdInOrder(c, batch, ids, now, delta, results);
        }
        store.addReserved(c, delta);
        return new Results(results, released, delta);
    }

    /**
     * Takes the holds of the batch that fit, in queue order, against the headroom of the locked rows
     * minus what {@code delta} (releases of this transaction, not yet in the counters) gives back;
     * adds what it holds to {@code delta}.
     */
    private void holdInOrder(Connection c, List<Pending> batch, TreeSet<String> ids, Instant now,
                             Map<String, Integer> delta, Attempt[] results) throws SQLException {
        CapacityStore.Locked locked = store.readLocked(c, ids, now);
        Map<String, Integer> reserved = new HashMap<>(locked.reserved());
        delta.forEach((dc, n) -> reserved.computeIfPresent(dc, (k, v) -> Math.max(0, v + n)));
        CapacitySnapshot fresh = capacity.build(now, locked.rows(), reserved).snapshot();
        Map<String, Integer> room = new HashMap<>();
        for (String id : ids) {
            int i = model.indexOf(id);
            var state = fresh.state(i);
            room.put(id, state.status() == DataCenterStatus.ACTIVE && !state.stale() ? fresh.headroom(i) : 0);
        }
        List<Pending> held = new ArrayList<>();
        for (int b = 0; b < batch.size(); b++) {
            int shortfall = 0;
            for (RoutingPlan.DataCenterUse use : batch.get(b).plan().dataCenters()) {
                shortfall += Math.max(0, use.participants() - room.get(use.id()));
            }
            if (shortfall > 0) {
                results[b] = new Attempt.Taken(shortfall);
                continue;
            }
            for (RoutingPlan.DataCenterUse use : batch.get(b).plan().dataCenters()) {
                room.merge(use.id(), -use.participants(), Integer::sum);
            }
            held.add(batch.get(b));
        }
        if (held.isEmpty()) {
            return;
        }
        Instant expires = now.plus(config.lease());
        insertHolds(c, held, now, expires);
        for (Pending p : held) {
            for (RoutingPlan.DataCenterUse use : p.plan().dataCenters()) {
                delta.merge(use.id(), use.participants(), Integer::sum);
            }
        }
        for (int b = 0; b < batch.size(); b++) {
            if (results[b] == null) {
                Pending p = batch.get(b);
                Map<String, Integer> byDc = new TreeMap<>();
                for (RoutingPlan.DataCenterUse use : p.plan().dataCenters()) {
                    byDc.put(use.id(), use.participants());
                }
                ReservationView view = new ReservationView(p.reservationId(), expires, byDc);
                p.alsoInTransaction().accept(view);
                results[b] = new Attempt.Held(view);
            }
        }
    }

    /** The reservations and their holds: two batched statements. */
    private static void insertHolds(Connection c, List<Pending> held, Instant now, Instant expires) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into reservation (id, meeting_id, created_at, "
                + "created_by, expires_at) values (?, ?, ?, ?, ?)")) {
            for (Pending p : held) {
                ps.setString(1, p.reservationId());
                ps.setString(2, p.meetingId());
                ps.setObject(3, Jdbc.time(now));
                ps.setString(4, p.caller());
                ps.setObject(5, Jdbc.time(expires));
                ps.addBatch();
            }
            ps.executeBatch();
        }
        try (PreparedStatement ps = c.prepareStatement("insert into reservation_hold (reservation_id, data_center_id, "
                + "participants) values (?, ?, ?)")) {
            for (Pending p : held) {
                for (RoutingPlan.DataCenterUse use : p.plan().dataCenters()) {
                    ps.setString(1, p.reservationId());
                    ps.setString(2, use.id());
                    ps.setInt(3, use.participants());
                    ps.addBatch();
                }
            }
            ps.executeBatch();
        }
    }

    /** Of the given reservations, those not expired at {@code now}. */
    private static Set<String> liveAmong(Connection c, Set<String> ids, Instant now) throws SQLException {
        Set<String> live = new HashSet<>();
        if (ids.isEmpty()) {
            return live;
        }
        try (PreparedStatement ps = c.prepareStatement("select id from reservation where id in ("
                + Jdbc.marks(ids.size()) + ") and expires_at > ?")) {
            int next = Jdbc.bind(ps, 1, ids);
            ps.setObject(next, Jdbc.time(now));
            try (ResultSet r = ps.executeQuery()) {
                while (r.next()) {
                    live.add(r.getString(1));
                }
            }
        }
        return live;
    }

    /** Deletes reservations (their holds go with them), all of which must exist. */
    private static void deleteReservations(Connection c, Set<String> ids) throws SQLException {
        if (ids.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("delete from reservation where id in ("
                + Jdbc.marks(ids.size()) + ")")) {
            Jdbc.bind(ps, 1, ids);
            int deleted = ps.executeUpdate();
            if (deleted != ids.size()) {
                throw new IllegalStateException("deleted " + deleted + " of " + ids.size()
                        + " reservations that were live under their rows' locks");
            }
        }
    }

    /**
     * The holds of those of the given reservations that are live ({@code live}) or expired at
     * {@code now}, negated (what removing them gives back), by reservation. One statement.
     */
    private static Map<String, Map<String, Integer>> holdsOf(Connection c, java.util.Collection<String> ids,
                                                             boolean live, Instant now) throws SQLException {
        Map<String, Map<String, Integer>> backs = new HashMap<>();
        if (ids.isEmpty()) {
            return backs;
        }
        try (PreparedStatement ps = c.prepareStatement("select h.reservation_id, h.data_center_id, h.participants "
                + "from reservation_hold h join reservation r on r.id = h.reservation_id where r.id in ("
                + Jdbc.marks(ids.size()) + ") and r.expires_at " + (live ? ">" : "<=") + " ?")) {
            int next = Jdbc.bind(ps, 1, ids);
            ps.setObject(next, Jdbc.time(now));
            try (ResultSet r = ps.executeQuery()) {
                while (r.next()) {
                    backs.computeIfAbsent(r.getString(1), k -> new TreeMap<>()).put(r.getString(2), -r.getInt(3));
                }
            }
        }
        return backs;
    }

    /**
     * Extends a live lease; empty when the reservation expired, was released or never existed.
     *
     * <p>The data centers' rows are locked before the clock is read: a reservation that counts this
     * one as expired (and gives its room away) holds those locks until it commits, so a renewal that
     * started just before expiry cannot bring the hold back after its room was taken.
     */
    @Transactional
    public Optional<ReservationView> renew(String id) {
        Map<String, Integer> byDc = new TreeMap<>();
        for (Object o : em.createNativeQuery("select data_center_id, participants from reservation_hold "
                + "where reservation_id = ?1").setParameter(1, id).getResultList()) {
            Object[] r = (Object[]) o;
            byDc.put((String) r[0], ((Number) r[1]).intValue());
        }
        if (byDc.isEmpty()) {
            return Optional.empty();
        }
        store.limitLockWait(config.lockTimeout());
        store.lockRows(byDc.keySet());
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Instant expires = now.plus(config.lease());
        int updated = em.createNativeQuery("update reservation set expires_at = ?1 where id = ?2 and expires_at > ?3")
                .setParameter(1, expires).setParameter(2, id).setParameter(3, now).executeUpdate();
        if (updated != 1) {
            return Optional.empty();
        }
        return Optional.of(new ReservationView(id, expires, byDc));
    }

    /**
     * Releases a live reservation at once; false when it expired, was released or never existed.
     * Runs on the holder thread with the reservations of the moment (the counters it changes are on
     * the same rows they lock).
     */
    public boolean release(String id) {
        requireNoTransaction();
        Release release = new Release(id, new CompletableFuture<>());
        return config.batchSize() <= 1
                ? together(List.of(), List.of(release), config.lockTimeout()).released().get(0)
                : await(release, release.result());
    }

    /**
     * Releases the reservations in one batch transaction, as the holder would if these releases were
     * queued at the same moment; per id, whether this call released it. For tests of the batch.
     */
    List<Boolean> releaseInOneBatch(List<String> ids) {
        requireNoTransaction();
        List<Release> releases = new ArrayList<>();
        ids.forEach(id -> releases.add(new Release(id, new CompletableFuture<>())));
        return together(List.of(), releases, config.lockTimeout()).released();
    }

    /**
     * Removes expired reservations and takes their holds off the data centers' counters, up to 500
     * per transaction. They stopped counting when they expired; this is housekeeping.
     */
    void removeExpired() {
        int removed = 0;
        int[] chunk;
        do {
            chunk = QuarkusTransaction.requiringNew().call(this::removeExpiredChunk);
            removed += chunk[1];
        } while (chunk[0] == EXPIRY_CHUNK);
        if (removed > 0) {
            LOG.infof("Removed %d expired reservations", removed);
        }
        QuarkusTransaction.requiringNew().run(this::reconcileCounters);
    }

    /**
     * Resets every data center's counter to the sum of its holds, under all the rows' locks. Every
     * writer keeps them equal; this repairs what a writer that does not know the counter (a replica of
     * an older version during a rolling update) or a manual change to the tables left behind.
     */
    void reconcileCounters() {
        List<String> all = new ArrayList<>();
        model.dataCenters().forEach(dc -> all.add(dc.id()));
        store.lockRows(all);
        int fixed = em.createNativeQuery("update data_center_state set reserved = coalesce((select sum(h.participants) "
                + "from reservation_hold h where h.data_center_id = data_center_state.data_center_id), 0) "
                + "where reserved <> coalesce((select sum(h.participants) from reservation_hold h "
                + "where h.data_center_id = data_center_state.data_center_id), 0)").executeUpdate();
        if (fixed > 0) {
            LOG.warnf("Corrected the reserved counter of %d data centers to the sum of their holds", fixed);
        }
    }

    static final int EXPIRY_CHUNK = 500;

    /** One transaction of the cleanup: {expired reservations looked at, reservations this call deleted}. */
    private int[] removeExpiredChunk() throws SQLException {
        Instant now = Instant.now();
        List<?> ids = em.createNativeQuery("select id from reservation where expires_at <= ?1 order by expires_at")
                .setParameter(1, now).setMaxResults(EXPIRY_CHUNK).getResultList();
        if (ids.isEmpty()) {
            return new int[] {0, 0};
        }
        Map<String, Map<String, Integer>> holds;
        try (Connection c = dataSource.getConnection()) {
            holds = holdsOf(c, ids.stream().map(String.class::cast).toList(), false, now);
        }
        TreeSet<String> sites = new TreeSet<>();
        holds.values().forEach(back -> sites.addAll(back.keySet()));
        store.lockRows(sites);
        Map<String, Integer> given = new HashMap<>();
        int removed = 0;
        for (Object id : ids) {
            // a concurrent cleanup on another replica may have deleted it first: count only our own
            if (em.createNativeQuery("delete from reservation where id = ?1 and expires_at <= ?2")
                    .setParameter(1, id).setParameter(2, now).executeUpdate() == 1) {
                removed++;
                holds.getOrDefault(id, Map.of()).forEach((dc, n) -> given.merge(dc, n, Integer::sum));
            }
        }
        store.addReserved(given);
        return new int[] {ids.size(), removed};
    }
}
