package io.meridian.catalog;

import io.meridian.web.DatabaseJobs;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Rebuilds this replica's capacity snapshot on a schedule, quietly through a database outage. */
@ApplicationScoped
public class CapacityRefreshJob {

    public static final String NAME = "Capacity refresh";

    private final LiveCapacityView capacity;
    private final DatabaseJobs jobs;

    @Inject
    public CapacityRefreshJob(LiveCapacityView capacity, DatabaseJobs jobs) {
        this.capacity = capacity;
        this.jobs = jobs;
    }

    @Scheduled(every = "${meridian.capacity.refresh-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void refresh() {
        jobs.run(NAME, "Plans without an account keep being answered from the last snapshot (its age is "
                + "meridian_capacity_snapshot_age_seconds); plans of an account, reservations, status changes and "
                + "load reports answer 503 until it is back.", capacity::refresh);
    }
}
