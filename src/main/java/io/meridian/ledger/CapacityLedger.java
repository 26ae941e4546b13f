package io.meridian.ledger;

import io.meridian.core.CapacitySnapshot;
import io.meridian.core.DataCenterModel;
import io.meridian.db.Jdbc;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * The capacity ledger: every hold of places on data centers, exactly across replicas. The only way
 * other packages take, give back or read holds. Holds are taken under the data centers' row locks,
 * against the room the admission rule leaves on the locked rows, in transactions batched by a
 * {@link GroupCommit}.
 */
@ApplicationScoped
public class CapacityLedger {

    private final DataSource dataSource;
    private final DataCenterModel model;
    private final ReservationConfig config;
    private final SiteConditions conditions;
    private final CommitObserver observer;
    private final ReservationExpiry expiry;
    private final LoadReports reports;
    private final GroupCommit<ReservationJob<?>> reservations;

    @Inject
    public CapacityLedger(DataSource dataSource, DataCenterModel model, ReservationConfig config,
                          SiteConditions conditions, CommitObserver observer, ReservationExpiry expiry,
                          LoadReports reports) {
        this.dataSource = dataSource;
        this.model = model;
        this.config = config;
        this.conditions = conditions;
        this.observer = observer;
        this.expiry = expiry;
        this.reports = reports;
        @SuppressWarnings("unchecked")
        Class<ReservationJob<?>> type = (Class<ReservationJob<?>>) (Class<?>) ReservationJob.class;
        this.reservations = new GroupCommit<>("reservation-holder", type, dataSource, observer,
                new ReservationBatch(conditions, config), config.batchSize(), config.lockTimeout());
    }

    @PreDestroy
    void stop() {
        reservations.stop();
    }

    /** Plans tried against fresh state before a reserving request gives up. */
    public int maxAttempts() {
        return Math.max(1, config.maxAttempts());
    }

    /**
     * Takes a reservation: every place of it, or nothing when some data center lacks room. Waits for
     * the group commit; no row lock is waited for longer than {@code meridian.reservation.lock-timeout}
     * (past it the database's transient error, which the API answers 503 temporarily-unavailable).
     */
    public ReservationAttempt hold(HoldRequest request) {
        return reservations.submit(new ReservationJob.Hold(request, new CompletableFuture<>()));
    }

    /**
     * A plan held, or the shortfall of the last attempt when others kept taking the room first.
     *
     * @param plan        the last plan made
     * @param reservation what holds it; empty when every attempt found the room taken
     * @param shortfall   places of the last attempt that did not fit (0 when held)
     */
    public record Reserved<P>(P plan, Optional<Reservation> reservation, int shortfall) {
    }

    /**
     * The retry loop of reserving: plans on a snapshot and takes the plan; when another request took
     * the room first, plans again on fresher state, at most {@code meridian.reservation.max-attempts}
     * times. What {@code plan} throws (a refusal) ends the loop.
     *
     * @param snapshot the snapshot of attempt n (0 first; later ones fresh from the database)
     * @param plan     the plan on a snapshot
     * @param hold     the reservation that holds a plan
     */
    public <P> Reserved<P> reserve(IntFunction<CapacitySnapshot> snapshot, Function<CapacitySnapshot, P> plan,
                                   Function<P, HoldRequest> hold) {
        P planned = null;
        int shortfall = 0;
        for (int attempt = 0; attempt < maxAttempts(); attempt++) {
            planned = plan.apply(snapshot.apply(attempt));
            ReservationAttempt result = hold(hold.apply(planned));
            if (result instanceof ReservationAttempt.Held held) {
                return new Reserved<>(planned, Optional.of(held.reservation()), 0);
            }
            shortfall = ((ReservationAttempt.Taken) result).shortfall();
        }
        return new Reserved<>(planned, Optional.empty(), shortfall);
    }

    /** Releases a live reservation at once; false when it expired, was released or never existed. */
    public boolean release(String reservationId) {
        return reservations.submit(new ReservationJob.Release(reservationId, new CompletableFuture<>()));
    }

    /**
     * Releases the reservations in one batch transaction, as the committer would if these releases
     * were queued at the same moment; per id, whether this call released it. For tests of the batch.
     */
    public List<Boolean> releaseInOneBatch(List<String> ids) {
        List<ReservationJob<?>> jobs = new ArrayList<>();
        List<CompletableFuture<Boolean>> answers = new ArrayList<>();
        for (String id : ids) {
            CompletableFuture<Boolean> answer = new CompletableFuture<>();
            answers.add(answer);
            jobs.add(new ReservationJob.Release(id, answer));
        }
        reservations.runAsOneBatch(jobs);
        return answers.stream().map(CompletableFuture::join).toList();
    }

    /**
     * Extends a live reservation's lease; empty when it expired, was released or never existed.
     *
     * <p>The data centers' rows are locked before the clock is read: a transaction that counts this
     * reservation as expired (and gives its room away) holds those locks until it commits, so a
     * renewal that started just before expiry cannot bring the hold back after its room was taken.
     */
    public Optional<Reservation> renew(String reservationId) {
        return QuarkusTransaction.requiringNew().call(() -> {
            try (Connection c = dataSource.getConnection()) {
                Map<String, Integer> byDc = ReservationSql.holdsOf(c, reservationId);
                if (byDc.isEmpty()) {
                    return Optional.<Reservation>empty();
                }
                Jdbc.limitLockWait(c, config.lockTimeout());
                Sites.lock(c, byDc.keySet());
                Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
                Instant expires = now.plus(config.lease());
                if (!ReservationSql.extend(c, reservationId, now, expires)) {
                    return Optional.<Reservation>empty();
                }
                return Optional.of(new Reservation(reservationId, expires, byDc));
            }
        });
    }

    /** Removes expired reservations now (the scheduled job does it every cleanup interval) and repairs counters. */
    public void removeExpiredReservations() {
        expiry.run();
    }

    /**
     * The places held on every data center at {@code now}, as the capacity view shows them. Runs in the
     * caller's transaction when there is one (the view's refresh reads everything on one connection).
     */
    public Map<String, Holds> held(Instant now) {
        return QuarkusTransaction.joiningExisting().call(() -> {
            try (Connection c = dataSource.getConnection()) {
                return Sites.readAll(c, now);
            }
        });
    }

    /**
     * Locks the rows of the given data centers (in id order) on the caller's transaction connection
     * and reads what is held on them; for readers that need a site's exact state under its lock.
     */
    public Map<String, Holds> lock(Connection c, Collection<String> dataCenterIds, Instant now) throws SQLException {
        if (!QuarkusTransaction.isActive()) {
            throw new IllegalStateException("data-center rows can only be locked inside a transaction");
        }
        Sites.lock(c, dataCenterIds);
        return Sites.readLocked(c, dataCenterIds, now);
    }

    /**
     * A group commit whose batches change live places (see {@link LiveTransaction}): the committer of
     * the feature that owns the jobs, with this ledger's commit observer, so each commit reaches the
     * capacity view at once.
     */
    public <J extends Job<?>> GroupCommit<J> committer(String name, Class<J> type, GroupCommit.Batch<J> batch,
                                                        int batchSize) {
        return new GroupCommit<>(name, type, dataSource, observer, batch, batchSize, config.lockTimeout());
    }

    /** The live places of meetings in the caller's transaction on {@code c}, at {@code now}. */
    public LiveTransaction live(Connection c, Instant now) {
        if (!QuarkusTransaction.isActive()) {
            throw new IllegalStateException("live places change only inside a transaction");
        }
        return new LiveTransaction(c, now, model, conditions);
    }

    /**
     * The live places of meetings in the caller's transaction on {@code c}, whose instant is set by
     * {@link LiveTransaction#begin} once the holders are read in a pipeline with the meetings' locks.
     */
    public LiveTransaction live(Connection c) {
        return live(c, null);
    }

    /** Makes a new meeting a holder of places, under a lease until {@code expires}. */
    public void open(Connection c, String meetingId, Instant expires) throws SQLException {
        LiveHolders.open(c, meetingId, expires);
    }

    /**
     * Makes a new meeting a holder of places created from a live reservation of {@code caller}: the
     * reservation's places become places the meeting's participants take first, kept for it until it
     * ends, and the reservation's lease the meeting's. Empty (nothing changed) when the reservation is
     * not a live one of this caller, or another meeting was created from it.
     *
     * @return the reservation's places per data center
     */
    public Optional<Map<String, Integer>> openFromReservation(Connection c, String meetingId, Instant expires,
                                                              String reservationId, String caller) throws SQLException {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        return LiveHolders.claim(c, meetingId, expires, reservationId, caller, now, config.lockTimeout());
    }

    /**
     * Counts the live participants a load report that just became the data center's newest saw; call
     * in the transaction that stored it (which holds the row's lock).
     */
    public void loadReportStored(Connection c, String dataCenter, Instant reportedAt, Instant now)
            throws SQLException {
        reports.stored(c, dataCenter, reportedAt, now);
    }

    /** At most {@code limit} meetings whose lease ran out at {@code now}, the oldest first. */
    public List<String> expiredMeetings(Instant now, int limit) {
        return QuarkusTransaction.requiringNew().call(() -> {
            try (Connection c = dataSource.getConnection()) {
                return LiveSql.expired(c, now, limit);
            }
        });
    }
}
