package io.meridian.web;

import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * What one background job says about its failures, so that an outage of the database reads as two
 * lines in the log instead of a stack trace per tick: one WARN when the database becomes
 * unreachable (naming what still works), one INFO when it is back. A failure that is not the
 * database being away (a bug, a constraint) is logged at ERROR with its stack trace once, and again
 * only when a different failure follows or after the job succeeded in between. While the service
 * stops, failures (jobs racing the closing of the datasource) are logged at DEBUG only.
 *
 * <p>Framework-free, so the record writer's thread and the scheduled jobs share it; one instance
 * per job, used by one thread at a time.
 */
public final class JobOutage {

    private static final Logger LOG = Logger.getLogger(JobOutage.class);

    private final String job;
    private final String whileAway;
    private final LongSupplier clock;
    private long awaySince = -1;
    private String lastError;

    /**
     * @param job       the job's name as the log shows it ("Capacity refresh")
     * @param whileAway what still works while the database is away, one sentence
     */
    public JobOutage(String job, String whileAway) {
        this(job, whileAway, System::currentTimeMillis);
    }

    JobOutage(String job, String whileAway, LongSupplier clock) {
        this.job = job;
        this.whileAway = whileAway;
        this.clock = clock;
    }

    /** Whether the last run failed because the database was unreachable. */
    public synchronized boolean away() {
        return awaySince >= 0;
    }

    /** A run succeeded: logs the return of the database once. */
    public synchronized void succeeded() {
        if (awaySince >= 0) {
            long seconds = Duration.ofMillis(clock.getAsLong() - awaySince).toSeconds();
            LOG.infof("%s reaches the database again (it was unreachable for %d s)", job, seconds);
            awaySince = -1;
        }
        lastError = null;
    }

    /**
     * A run failed.
     *
     * @param stopping the service is shutting down: a failure then is expected and only logged at DEBUG
     */
    public synchronized void failed(Throwable e, boolean stopping) {
        if (stopping) {
            LOG.debugf("%s failed while the service stops: %s", job, TransientFailures.rootMessage(e));
            return;
        }
        if (TransientFailures.isOutage(e) || TransientFailures.isConnectionFailure(e)) {
            if (awaySince < 0) {
                awaySince = clock.getAsLong();
                LOG.warnf("%s cannot reach the database (%s). %s Retrying on every run; the next line about this "
                        + "comes when it is back.", job, TransientFailures.rootMessage(e), whileAway);
            } else {
                LOG.debugf("%s still cannot reach the database: %s", job, TransientFailures.rootMessage(e));
            }
            return;
        }
        String message = TransientFailures.rootMessage(e);
        if (message.equals(lastError)) {
            LOG.debugf("%s failed again: %s", job, message);
        } else {
            lastError = message;
            LOG.errorf(e, "%s failed (logged once until it succeeds or fails otherwise)", job);
        }
    }
}
