package io.meridian.catalog;

import io.meridian.web.DatabaseJobs;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness data on the capacity snapshot: its age and whether the database is reachable. It stays
 * UP while the database is away: plans without an account are still answered correctly from the
 * last snapshot (never above the headroom it knew, never through a blocked region), and everything
 * that needs the database answers 503 by itself; taking every replica out of rotation would refuse
 * those plans too. Alert on {@code meridian_capacity_snapshot_age_seconds} instead.
 */
@Readiness
@ApplicationScoped
public class CapacitySnapshotHealthCheck implements HealthCheck {

    private final LiveCapacityView capacity;
    private final DatabaseJobs jobs;

    @Inject
    public CapacitySnapshotHealthCheck(LiveCapacityView capacity, DatabaseJobs jobs) {
        this.capacity = capacity;
        this.jobs = jobs;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("capacity-snapshot").up()
                .withData("snapshotAgeSeconds", Math.round(CapacityMetrics.snapshotAgeSeconds(capacity)))
                .withData("snapshotAt", capacity.live().at().toString())
                .withData("databaseReachable", !jobs.away(CapacityRefreshJob.NAME))
                .build();
    }
}
