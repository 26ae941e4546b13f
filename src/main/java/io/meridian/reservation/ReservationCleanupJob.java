package io.meridian.reservation;

import io.meridian.web.DatabaseJobs;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Removes expired reservations on a schedule, quietly through a database outage. */
@ApplicationScoped
public class ReservationCleanupJob {

    private final ReservationService reservations;
    private final DatabaseJobs jobs;

    @Inject
    public ReservationCleanupJob(ReservationService reservations, DatabaseJobs jobs) {
        this.reservations = reservations;
        this.jobs = jobs;
    }

    @Scheduled(every = "${meridian.reservation.cleanup-interval:30s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void removeExpired() {
        jobs.run("Reservation cleanup", "Expired reservations already stopped counting against headroom; they are "
                + "deleted once the database is back.", reservations::removeExpired);
    }
}
