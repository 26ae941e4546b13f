package io.meridian.web;

import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one way scheduled jobs run against the database: each run of a job goes through
 * {@link #run}, which never lets a failure escape to the scheduler (that logged a stack trace per
 * tick) and reports it through the job's {@link JobOutage}. The service's stop is noted as early as
 * possible, so that runs racing the closing of the datasource are quiet.
 */
@ApplicationScoped
public class DatabaseJobs {

    private final Map<String, JobOutage> jobs = new ConcurrentHashMap<>();
    private volatile boolean stopping;

    /** Runs one tick of a job. {@code whileAway} says what still works while the database is away. */
    public void run(String job, String whileAway, Runnable tick) {
        JobOutage outage = jobs.computeIfAbsent(job, name -> new JobOutage(name, whileAway));
        try {
            tick.run();
            outage.succeeded();
        } catch (RuntimeException e) {
            outage.failed(e, stopping);
        }
    }

    /** Whether the job's last run found the database unreachable. */
    public boolean away(String job) {
        JobOutage outage = jobs.get(job);
        return outage != null && outage.away();
    }

    void onStop(@Observes @Priority(1) ShutdownEvent event) {
        stopping = true;
    }

    /** Whether the service is stopping. */
    public boolean stopping() {
        return stopping;
    }
}
