package io.meridian.reservation;

import io.meridian.catalog.CapacityStore;
import io.meridian.catalog.LiveCapacityView;
import io.meridian.core.CapacitySnapshot;
import io.meridian.core.DataCenterModel;
import io.meridian.core.DataCenterStatus;
import io.meridian.core.RoutingPlan;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
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

    /**
     * Holds the plan's participants in a new transaction, and runs {@code alsoInTransaction} (for the
     * idempotency record) inside it. Nothing is held unless every data center of the plan has room.
     */
    public Attempt hold(String reservationId, RoutingPlan plan, String meetingId, String caller,
                        java.util.function.Consumer<ReservationView> alsoInTransaction) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
            List<String> ids = new ArrayList<>();
            for (RoutingPlan.DataCenterUse use : plan.dataCenters()) {
                ids.add(use.id());
            }
            ids.sort(null);
            CapacityStore.Locked locked = store.lock(ids, now);
            CapacitySnapshot fresh = capacity.build(now, locked.rows(), locked.reserved()).snapshot();
            int shortfall = 0;
            for (RoutingPlan.DataCenterUse use : plan.dataCenters()) {
                int i = model.indexOf(use.id());
                var state = fresh.state(i);
                int room = state.status() == DataCenterStatus.ACTIVE && !state.stale() ? fresh.headroom(i) : 0;
                shortfall += Math.max(0, use.participants() - room);
            }
            if (shortfall > 0) {
                return new Attempt.Taken(shortfall);
            }
            Instant expires = now.plus(config.lease());
            em.createNativeQuery("insert into reservation (id, meeting_id, created_at, created_by, expires_at) "
                            + "values (?1, ?2, ?3, ?4, ?5)")
                    .setParameter(1, reservationId).setParameter(2, meetingId).setParameter(3, now)
                    .setParameter(4, caller).setParameter(5, expires).executeUpdate();
            Map<String, Integer> byDc = new TreeMap<>();
            StringBuilder sql = new StringBuilder("insert into reservation_hold (reservation_id, data_center_id, "
                    + "participants) values ");
            List<RoutingPlan.DataCenterUse> uses = plan.dataCenters();
            for (int i = 0; i < uses.size(); i++) {
                sql.append(i > 0 ? ", " : "").append("(?1, ?").append(2 * i + 2).append(", ?").append(2 * i + 3).append(')');
            }
            var insert = em.createNativeQuery(sql.toString()).setParameter(1, reservationId);
            for (int i = 0; i < uses.size(); i++) {
                insert.setParameter(2 * i + 2, uses.get(i).id()).setParameter(2 * i + 3, uses.get(i).participants());
                byDc.put(uses.get(i).id(), uses.get(i).participants());
            }
            insert.executeUpdate();
            ReservationView view = new ReservationView(reservationId, expires, byDc);
            alsoInTransaction.accept(view);
            return new Attempt.Held(view);
        });
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
            Map<String, Integer> back = new TreeMap<>();
            for (Object o : em.createNativeQuery("select h.data_center_id, h.participants from reservation_hold h "
                    + "join reservation r on r.id = h.reservation_id where r.id = ?1 and r.expires_at > ?2")
                    .setParameter(1, id).setParameter(2, Instant.now()).getResultList()) {
                Object[] r = (Object[]) o;
                back.put((String) r[0], -((Number) r[1]).intValue());
            }
            if (back.isEmpty()) {
                return back;
            }
            int deleted = em.createNativeQuery("delete from reservation where id = ?1 and expires_at > ?2")
                    .setParameter(1, id).setParameter(2, Instant.now()).executeUpdate();
            return deleted == 1 ? back : Map.<String, Integer>of();
        });
        if (given.isEmpty()) {
            return false;
        }
        capacity.adjustReserved(given);
        return true;
    }

    /** Removes expired reservations. They stopped counting when they expired; this is housekeeping. */
    @Scheduled(every = "${meridian.reservation.cleanup-interval:30s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void removeExpired() {
        int removed = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                "delete from reservation where expires_at <= ?1").setParameter(1, Instant.now()).executeUpdate());
        if (removed > 0) {
            LOG.infof("Removed %d expired reservations", removed);
        }
    }
}
