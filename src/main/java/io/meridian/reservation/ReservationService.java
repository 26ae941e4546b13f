package io.meridian.reservation;

import io.meridian.catalog.CapacityStore;
import io.meridian.catalog.LiveCapacityView;
import io.meridian.core.CapacitySnapshot;
import io.meridian.core.DataCenterModel;
import io.meridian.core.DataCenterStatus;
import io.meridian.core.RoutingPlan;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

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
    private final CapacityStore store;
    private final LiveCapacityView capacity;
    private final DataCenterModel model;
    private final ReservationConfig config;

    @Inject
    public ReservationService(EntityManager em, CapacityStore store, LiveCapacityView capacity, DataCenterModel model,
                              ReservationConfig config) {
        this.em = em;
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
     * of its requests is retried in a transaction of its own, so one request's conflict is only its own.
     */
    public Attempt hold(String reservationId, RoutingPlan plan, String meetingId, String caller,
                        Consumer<ReservationView> alsoInTransaction) {
        if (config.batchSize() <= 1) {
            return holdAlone(new Pending(reservationId, plan, meetingId, caller, alsoInTransaction, null));
        }
        Pending pending = new Pending(reservationId, plan, meetingId, caller, alsoInTransaction,
                new CompletableFuture<>());
        queue.add(pending);
        startHolder();
        try {
            return pending.result().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the reservation", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private volatile Thread holder;

    private synchronized void startHolder() {
        if (holder == null || !holder.isAlive()) {
            holder = new Thread(this::holdQueued, "reservation-holder");
            holder.setDaemon(true);
            holder.start();
        }
    }

    private void holdQueued() {
        List<Pending> batch = new ArrayList<>();
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Pending first = queue.poll(1, TimeUnit.SECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, Math.max(0, config.batchSize() - 1));
                holdBatch(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException | Error e) {
                // never leave a request waiting, never let the holder die
                for (Pending p : batch) {
                    p.result().completeExceptionally(e);
                }
                LOG.error("Reservation holder failed", e);
            } finally {
                batch.clear();
            }
        }
        // stopping: nobody will hold what is still queued
        List<Pending> left = new ArrayList<>();
        queue.drainTo(left);
        for (Pending p : left) {
            p.result().completeExceptionally(new IllegalStateException("the service is stopping"));
        }
    }

    @PreDestroy
    void stopHolder() {
        Thread running = holder;
        if (running != null) {
            running.interrupt();
        }
    }

    /** Holds a batch in one transaction; on failure, each request on its own. Completes every future. */
    private void holdBatch(List<Pending> batch) {
        Attempt[] results;
        try {
            results = batch.size() == 1 ? new Attempt[] {holdAlone(batch.get(0))} : holdTogether(batch);
        } catch (RuntimeException e) {
            if (batch.size() == 1) {
                batch.get(0).result().completeExceptionally(e);
                return;
            }
            LOG.debugf("A batch of %d reservations failed (%s); holding each on its own", batch.size(), e.getMessage());
            for (Pending p : batch) {
                try {
                    p.result().complete(holdAlone(p));
                } catch (RuntimeException alone) {
                    p.result().completeExceptionally(alone);
                }
            }
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).result().complete(results[i]);
        }
    }

    private Attempt holdAlone(Pending p) {
        return holdTogether(List.of(p))[0];
    }

    /**
     * One transaction: lock the rows of every data center the requests use (in id order, so
     * concurrent transactions never deadlock), recompute headroom from the database, then take the
     * requests in order, each all or nothing against what the earlier ones left.
     */
    private Attempt[] holdTogether(List<Pending> batch) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
            TreeSet<String> ids = new TreeSet<>();
            for (Pending p : batch) {
                for (RoutingPlan.DataCenterUse use : p.plan().dataCenters()) {
                    ids.add(use.id());
                }
            }
            CapacityStore.Locked locked = store.lock(new ArrayList<>(ids), now);
            CapacitySnapshot fresh = capacity.build(now, locked.rows(), locked.reserved()).snapshot();
            Map<String, Integer> room = new HashMap<>();
            for (String id : ids) {
                int i = model.indexOf(id);
                var state = fresh.state(i);
                room.put(id, state.status() == DataCenterStatus.ACTIVE && !state.stale() ? fresh.headroom(i) : 0);
            }
            Attempt[] results = new Attempt[batch.size()];
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
                return results;
            }
            Instant expires = now.plus(config.lease());
            insertHolds(held, now, expires);
            Map<String, Integer> added = new HashMap<>();
            for (Pending p : held) {
                for (RoutingPlan.DataCenterUse use : p.plan().dataCenters()) {
                    added.merge(use.id(), use.participants(), Integer::sum);
                }
            }
            store.addReserved(added);
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
            return results;
        });
    }

    /** The reservations and their holds, one multi-row statement each. */
    private void insertHolds(List<Pending> held, Instant now, Instant expires) {
        StringBuilder sql = new StringBuilder("insert into reservation (id, meeting_id, created_at, created_by, "
                + "expires_at) values ");
        int param = 1;
        for (int i = 0; i < held.size(); i++) {
            sql.append(i > 0 ? ", " : "").append("(?").append(param++).append(", ?").append(param++).append(", ?")
                    .append(param++).append(", ?").append(param++).append(", ?").append(param++).append(')');
        }
        var reservations = em.createNativeQuery(sql.toString());
        param = 1;
        for (Pending p : held) {
            reservations.setParameter(param++, p.reservationId()).setParameter(param++, p.meetingId())
                    .setParameter(param++, now).setParameter(param++, p.caller()).setParameter(param++, expires);
        }
        reservations.executeUpdate();
        sql = new StringBuilder("insert into reservation_hold (reservation_id, data_center_id, participants) values ");
        param = 1;
        List<Object> values = new ArrayList<>();
        for (Pending p : held) {
            for (RoutingPlan.DataCenterUse use : p.plan().dataCenters()) {
                sql.append(param > 1 ? ", " : "").append("(?").append(param++).append(", ?").append(param++)
                        .append(", ?").append(param++).append(')');
                values.add(p.reservationId());
                values.add(use.id());
                values.add(use.participants());
            }
        }
        var holds = em.createNativeQuery(sql.toString());
        for (int i = 0; i < values.size(); i++) {
            holds.setParameter(i + 1, values.get(i));
        }
        holds.executeUpdate();
    }

    /** Extends a live lease; empty when the reservation expired, was released or never existed. */
    @Transactional
    public Optional<ReservationView> renew(String id) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Instant expires = now.plus(config.lease());
        int updated = em.createNativeQuery("update reservation set expires_at = ?1 where id = ?2 and expires_at > ?3")
                .setParameter(1, expires).setParameter(2, id).setParameter(3, now).executeUpdate();
        if (updated != 1) {
            return Optional.empty();
        }
        Map<String, Integer> byDc = new TreeMap<>();
        for (Object o : em.createNativeQuery("select data_center_id, participants from reservation_hold "
                + "where reservation_id = ?1").setParameter(1, id).getResultList()) {
            Object[] r = (Object[]) o;
            byDc.put((String) r[0], ((Number) r[1]).intValue());
        }
        return Optional.of(new ReservationView(id, expires, byDc));
    }

    /** Releases a live reservation at once; false when it expired, was released or never existed. */
    public boolean release(String id) {
        Map<String, Integer> given = QuarkusTransaction.requiringNew().call(() -> {
            Instant now = Instant.now();
            Map<String, Integer> back = holdsOf(id, "r.expires_at > ?2", now);
            if (back.isEmpty()) {
                return back;
            }
            store.lockRows(back.keySet());
            int deleted = em.createNativeQuery("delete from reservation where id = ?1 and expires_at > ?2")
                    .setParameter(1, id).setParameter(2, now).executeUpdate();
            if (deleted != 1) {
                return Map.<String, Integer>of();
            }
            store.addReserved(back);
            return back;
        });
        if (given.isEmpty()) {
            return false;
        }
        capacity.adjustReserved(given);
        return true;
    }

    /** A reservation's holds, negated (what releasing it gives back), if it matches the condition. */
    private Map<String, Integer> holdsOf(String id, String condition, Instant now) {
        Map<String, Integer> back = new TreeMap<>();
        for (Object o : em.createNativeQuery("select h.data_center_id, h.participants from reservation_hold h "
                        + "join reservation r on r.id = h.reservation_id where r.id = ?1 and " + condition)
                .setParameter(1, id).setParameter(2, now).getResultList()) {
            Object[] r = (Object[]) o;
            back.put((String) r[0], -((Number) r[1]).intValue());
        }
        return back;
    }

    /**
     * Removes expired reservations and takes their holds off the data centers' counters, up to 500
     * per transaction. They stopped counting when they expired; this is housekeeping.
     */
    @Scheduled(every = "${meridian.reservation.cleanup-interval:30s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
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
    }

    static final int EXPIRY_CHUNK = 500;

    /** One transaction of the cleanup: {expired reservations looked at, reservations this call deleted}. */
    private int[] removeExpiredChunk() {
        Instant now = Instant.now();
        List<?> ids = em.createNativeQuery("select id from reservation where expires_at <= ?1 order by expires_at")
                .setParameter(1, now).setMaxResults(EXPIRY_CHUNK).getResultList();
        if (ids.isEmpty()) {
            return new int[] {0, 0};
        }
        Map<String, Map<String, Integer>> holds = new HashMap<>();
        TreeSet<String> sites = new TreeSet<>();
        for (Object id : ids) {
            Map<String, Integer> back = holdsOf((String) id, "r.expires_at <= ?2", now);
            holds.put((String) id, back);
            sites.addAll(back.keySet());
        }
        store.lockRows(sites);
        Map<String, Integer> given = new HashMap<>();
        int removed = 0;
        for (Object id : ids) {
            // a concurrent cleanup on another replica may have deleted it first: count only our own
            if (em.createNativeQuery("delete from reservation where id = ?1 and expires_at <= ?2")
                    .setParameter(1, id).setParameter(2, now).executeUpdate() == 1) {
                removed++;
                holds.get(id).forEach((dc, n) -> given.merge(dc, n, Integer::sum));
            }
        }
        store.addReserved(given);
        return new int[] {ids.size(), removed};
    }
}
