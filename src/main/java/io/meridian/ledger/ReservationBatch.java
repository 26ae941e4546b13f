package io.meridian.ledger;

import io.meridian.core.Admission;
import io.meridian.core.CapacitySnapshot;
import io.meridian.db.Pipeline;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One transaction of reservation jobs, in plain JDBC: lock the rows of every data center the jobs
 * touch (in id order); release first (delete the live reservations, take their holds off the
 * counters); then read the room of the locked rows and take the holds in queue order, each all or
 * nothing against what the earlier ones left ({@link Admission}). About ten statements per batch, however many jobs.
 */
final class ReservationBatch implements GroupCommit.Batch<ReservationJob<?>> {

    private final SiteConditions conditions;
    private final ReservationConfig config;

    ReservationBatch(SiteConditions conditions, ReservationConfig config) {
        this.conditions = conditions;
        this.config = config;
    }

    @Override
    public void run(Connection c, List<ReservationJob<?>> jobs, Duration lockWait, Answers answers)
            throws SQLException {
        List<ReservationJob.Hold> holds = new ArrayList<>();
        List<ReservationJob.Release> releases = new ArrayList<>();
        for (ReservationJob<?> job : jobs) {
            if (job instanceof ReservationJob.Hold hold) {
                holds.add(hold);
            } else {
                releases.add((ReservationJob.Release) job);
            }
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        TreeSet<String> wanted = new TreeSet<>();
        holds.forEach(h -> wanted.addAll(h.request().places().keySet()));
        // the holds of the reservations to release, read before the locks to know which rows to lock
        Set<String> releaseIds = new TreeSet<>();
        releases.forEach(r -> releaseIds.add(r.id()));
        Map<String, Map<String, Integer>> backs = ReservationSql.holdsOf(c, releaseIds, true, now);
        TreeSet<String> touched = new TreeSet<>(wanted);
        backs.values().forEach(back -> touched.addAll(back.keySet()));
        // key-lookup plans for the rest of the transaction: see Pipeline.keyLookups
        Pipeline locks = Pipeline.on(c).limitLockWait(lockWait).keyLookups();
        Sites.lock(locks, touched);
        locks.run();
        // the clock again after the locks, which may have been waited for: a reservation that expired
        // meanwhile is no longer live (and no longer counted by this replica's snapshot)
        now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        release(c, releases, backs, now, answers);
        if (!holds.isEmpty()) {
            holdInOrder(c, holds, wanted, now, answers);
        }
        Sites.add(c, answers.delta(), now);
    }

    /**
     * Under the locks nobody else deletes these reservations (every deleter locks their rows first):
     * what is still live now is exactly what this deletes. The same reservation released twice in one
     * batch gives its holds back once.
     */
    private static void release(Connection c, List<ReservationJob.Release> releases,
                                Map<String, Map<String, Integer>> backs, Instant now, Answers answers)
            throws SQLException {
        Set<String> live = ReservationSql.liveAmong(c, backs.keySet(), now);
        ReservationSql.delete(c, live);
        // a meeting created from one keeps its participants, no longer the reserved floor
        LiveSql.unbind(c, live);
        Set<String> answered = new HashSet<>();
        for (ReservationJob.Release r : releases) {
            boolean gives = live.contains(r.id()) && answered.add(r.id());
            if (gives) {
                backs.get(r.id()).forEach((dc, n) -> answers.change(dc, Holds.reserved(-n)));
            }
            answers.answer(r, gives);
        }
    }

    /**
     * Takes the holds that fit, in queue order, against the room of the locked rows less what the
     * releases of this transaction (not yet in the counters) give back.
     */
    private void holdInOrder(Connection c, List<ReservationJob.Hold> holds, Collection<String> ids, Instant now,
                             Answers answers) throws SQLException {
        Map<String, Holds> held = new HashMap<>();
        Pipeline reads = Pipeline.on(c);
        Sites.readLocked(reads, ids, now, held);
        SiteConditions.Pending stored = conditions.lockedSnapshot(reads, ids, now);
        reads.run();
        answers.delta().forEach((dc, d) -> held.computeIfPresent(dc, (k, h) -> h.plus(d).atLeastZero()));
        CapacitySnapshot fresh = stored.snapshot(held);
        Admission.Admitted admitted = Admission.admit(holds.stream().map(h -> h.request().places()).toList(),
                Admission.room(fresh, ids));
        List<ReservationJob.Hold> taken = new ArrayList<>();
        for (int i = 0; i < holds.size(); i++) {
            if (admitted.admitted(i)) {
                taken.add(holds.get(i));
            } else {
                answers.answer(holds.get(i), new ReservationAttempt.Taken(admitted.verdicts().get(i).shortfall()));
            }
        }
        if (taken.isEmpty()) {
            return;
        }
        Instant expires = now.plus(config.lease());
        ReservationSql.insert(c, taken.stream().map(ReservationJob.Hold::request).toList(), now, expires);
        for (ReservationJob.Hold hold : taken) {
            HoldRequest request = hold.request();
            request.places().forEach((dc, n) -> answers.change(dc, Holds.reserved(n)));
            Reservation reservation = new Reservation(request.reservationId(), expires, request.places());
            request.alsoInTransaction().accept(reservation);
            answers.answer(hold, new ReservationAttempt.Held(reservation));
        }
    }
}
