package io.meridian.ledger;

import io.meridian.db.Pipeline;
import io.meridian.web.TransientFailures;
import io.quarkus.narayana.jta.QuarkusTransaction;
import org.jboss.logging.Logger;

import javax.sql.DataSource;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Runs batches of a {@link GroupCommit} in transactions and decides, when one fails, who gets which
 * answer. Every job's future is completed, whatever happens.
 */
final class BatchRunner<J extends Job<?>> {

    private static final Logger LOG = Logger.getLogger(BatchRunner.class);

    private final String name;
    private final DataSource dataSource;
    private final CommitObserver observer;
    private final GroupCommit.Batch<J> batch;
    private final Duration lockTimeout;

    BatchRunner(String name, DataSource dataSource, CommitObserver observer, GroupCommit.Batch<J> batch,
                Duration lockTimeout) {
        this.name = name;
        this.dataSource = dataSource;
        this.observer = observer;
        this.batch = batch;
        this.lockTimeout = lockTimeout;
    }

    /**
     * One transaction for the whole batch. If it fails as a whole on one job's own conflict (two
     * requests with one Idempotency-Key) or on a lock conflict, each job is retried alone (see
     * {@link #runEachAlone}); if it fails because the database is away, or in its commit, every job
     * gets that answer: alone they would fare no better.
     */
    void runBatch(List<J> jobs) {
        try {
            together(jobs, lockTimeout);
        } catch (RuntimeException e) {
            if (jobs.size() == 1 || hitsEveryJob(e)) {
                if (jobs.size() > 1) {
                    LOG.warnf("A batch of %d %s jobs failed (%s)", jobs.size(), name, e.getMessage());
                }
                jobs.forEach(job -> job.result().completeExceptionally(e));
                return;
            }
            runEachAlone(jobs, e);
        }
    }

    /**
     * After the batch failed as a whole: each job in a transaction of its own, so one request's
     * conflict is only its own. After a lock conflict (most often a lock waited out: some row stuck
     * in another session), the jobs wait a tenth of the lock timeout each, and a job that needs every
     * data center of one that timed out fails at once with the same answer: jobs on other sites still
     * go through, and the committer is back to the queue after about one short wait per stuck site
     * instead of one full wait per job. A job failing because the database is away, or in its commit,
     * ends the pass: the remaining jobs get that answer.
     */
    private void runEachAlone(List<J> jobs, RuntimeException failure) {
        Duration wait = TransientFailures.isTransient(failure) ? lockTimeout.dividedBy(10) : lockTimeout;
        LOG.debugf("A batch of %d %s jobs failed (%s); running each on its own", jobs.size(), name,
                failure.getMessage());
        List<Set<String>> stuck = new ArrayList<>();
        RuntimeException stuckBy = null;
        RuntimeException away = null;
        for (J job : jobs) {
            if (away != null) {
                job.result().completeExceptionally(away);
                continue;
            }
            Set<String> sites = job.sites();
            if (stuckBy != null && !sites.isEmpty() && stuck.stream().anyMatch(sites::containsAll)) {
                job.result().completeExceptionally(stuckBy);
                continue;
            }
            try {
                together(List.of(job), wait);
            } catch (RuntimeException alone) {
                job.result().completeExceptionally(alone);
                if (TransientFailures.isLockConflict(alone) && !sites.isEmpty()) {
                    stuck.add(sites);
                    stuckBy = alone;
                }
                if (hitsEveryJob(alone)) {
                    away = alone;
                }
            }
        }
        if (stuckBy != null) {
            LOG.warnf("%s jobs on data centers %s failed on a lock waited out (%s)", name, stuck, stuckBy.getMessage());
        }
    }

    /** A commit whose outcome is unknown, or the database away: no job would fare better alone. */
    private static boolean hitsEveryJob(RuntimeException e) {
        return e instanceof CommitUncertain || TransientFailures.isOutage(e);
    }

    /**
     * One transaction on one connection; after its commit the observer applies its change and the
     * jobs get their answers. No lock is waited for longer than {@code lockWait}.
     */
    private void together(List<J> jobs, Duration lockWait) {
        CommitObserver.Guard guard = observer.guard();
        boolean[] committing = {false};
        Runnable commitStarts = () -> {
            guard.committing();
            committing[0] = true;
        };
        Answers answers = new Answers(commitStarts);
        try {
            QuarkusTransaction.requiringNew().call(() -> {
                try (Connection c = dataSource.getConnection()) {
                    batch.run(c, jobs, lockWait, answers);
                    commitStarts.run();
                    return answers;
                }
            });
            guard.applied(answers.delta());
        } catch (RuntimeException e) {
            // a statement the server refused in the commit's own round trip: the server skipped the
            // commit, nothing committed (a failed connection or a commit of its own: it may have)
            if (committing[0] && !(answers.committedWithLast() && Pipeline.refusedByServer(e))) {
                throw new CommitUncertain(name, e);
            }
            throw e;
        } finally {
            guard.release();
        }
        answers.complete();
        for (J job : jobs) {
            if (!job.result().isDone()) {
                job.result().completeExceptionally(new IllegalStateException(name + " batch gave a job no answer"));
            }
        }
    }

    /**
     * The transaction failed in its commit: it may have committed all the same. Its jobs are not
     * retried (a retried release would answer 404 for what it released; a retried hold would hold
     * twice); the cause decides the answer (503 when transient), and the next capacity refresh reads
     * what the database has.
     */
    static final class CommitUncertain extends RuntimeException {
        CommitUncertain(String name, RuntimeException cause) {
            super("the " + name + " transaction failed in its commit: " + cause.getMessage(), cause);
        }
    }
}
