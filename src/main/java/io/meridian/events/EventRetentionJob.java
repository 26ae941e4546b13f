package io.meridian.events;

import io.meridian.web.DatabaseJobs;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import javax.sql.DataSource;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;

/**
 * Deletes meeting events older than {@code meridian.meetings.event-retention}, on every replica, in
 * chunks of {@value #CHUNK} each in a transaction of its own (see {@link EventPruner}: two replicas
 * pruning at once delete each chunk once).
 */
@ApplicationScoped
class EventRetentionJob {

    private static final Logger LOG = Logger.getLogger(EventRetentionJob.class);
    static final int CHUNK = 1000;

    private final DataSource dataSource;
    private final Duration retention;
    private final DatabaseJobs jobs;

    @Inject
    EventRetentionJob(DataSource dataSource, DatabaseJobs jobs,
                      @ConfigProperty(name = "meridian.meetings.event-retention", defaultValue = "P1D") Duration retention) {
        this.dataSource = dataSource;
        this.jobs = jobs;
        this.retention = retention;
    }

    @Scheduled(every = "${meridian.meetings.events.retention-interval:1m}", delayed = "10s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        jobs.run("Meeting event retention", "Old meeting events stay until the database is back; the feed is unaffected.",
                () -> run(Instant.now().minus(retention)));
    }

    /** Deletes every event older than {@code before}; returns how many. */
    int run(Instant before) {
        int deleted = 0;
        int chunk;
        do {
            chunk = QuarkusTransaction.requiringNew().call(() -> {
                try (Connection c = dataSource.getConnection()) {
                    return EventPruner.pruneChunk(c, before, CHUNK);
                }
            });
            deleted += chunk;
        } while (chunk > 0);
        if (deleted > 0) {
            LOG.infof("Deleted %d meeting events older than %s", deleted, before);
        }
        return deleted;
    }
}
