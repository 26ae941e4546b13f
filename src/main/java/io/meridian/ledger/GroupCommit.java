package io.meridian.ledger;

import io.quarkus.narayana.jta.QuarkusTransaction;
import org.jboss.logging.Logger;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Group commit: a request waits while one committer thread takes every job queued at that moment (up
 * to {@code batchSize}) and does all their work in one transaction, so row locks are taken once per
 * batch instead of once per request. Each job gets its own answer, after the commit. When a batch
 * fails as a whole, {@link BatchRunner} decides who gets which answer (job by job, or all alike).
 * With {@code batchSize} 1 each job runs in a transaction of its own on its caller's thread.
 *
 * <p>The queue is typed: {@code J} is the sealed family of jobs one {@link Batch} knows how to do.
 *
 * @param <J> the jobs of this committer
 */
public final class GroupCommit<J extends Job<?>> {

    private static final Logger LOG = Logger.getLogger(GroupCommit.class);

    /**
     * Told of every batch the committer thread ran: how many jobs, and how long it took from taking
     * them off the queue to answering them (transaction, commit and the actions after it). A job's
     * own wait is its answer time less this: the queue.
     */
    public interface BatchListener {
        void batch(int jobs, long nanos);
    }

    /** The work of one batch, in one transaction on {@code c}. */
    public interface Batch<J> {
        /**
         * Does the jobs' work in order and gives each its answer through {@code answers} (delivered
         * after the commit). Every lock is waited for at most {@code lockWait}. Throwing rolls the
         * whole batch back.
         */
        void run(Connection c, List<J> jobs, Duration lockWait, Answers answers) throws SQLException;
    }

    private final String name;
    private final Class<J> type;
    private final int batchSize;
    private final BatchRunner<J> runner;
    private final LinkedBlockingQueue<J> queue = new LinkedBlockingQueue<>();
    private volatile BatchListener listener = (jobs, nanos) -> {
    };
    private volatile Thread committer;
    private volatile boolean stopped;

    /**
     * @param name        names the committer thread and its log lines
     * @param type        the job family (checked on submit)
     * @param batchSize   most jobs per transaction; 1: no committer thread
     * @param lockTimeout the longest wait of a batch for any lock
     */
    public GroupCommit(String name, Class<J> type, DataSource dataSource, CommitObserver observer, Batch<J> batch,
                       int batchSize, Duration lockTimeout) {
        this.name = name;
        this.type = type;
        this.batchSize = batchSize;
        this.runner = new BatchRunner<>(name, dataSource, observer, batch, lockTimeout);
    }

    /**
     * Queues a job and waits for its answer. Must not be called inside a transaction: the caller
     * could hold row locks the committer then waits for while the caller waits for it.
     *
     * @throws RuntimeException what the job's transaction failed with (a transient database failure
     *                          answers 503 through the problem mapping)
     */
    public <R> R submit(Job<R> job) {
        // with batchSize 1 the job runs right here, on the caller's thread
        return await(submitAsync(job, Runnable::run));
    }

    /**
     * Queues a job and returns at once; its answer completes on the committer thread after the commit
     * (or exceptionally with what its transaction failed with). For a caller that must not block, such
     * as an HTTP event loop. With {@code batchSize} 1 the job runs on {@code blocking} instead.
     */
    public <R> CompletableFuture<R> submitAsync(Job<R> job, Executor blocking) {
        J typed = type.cast(job);
        if (QuarkusTransaction.isActive()) {
            throw new IllegalStateException(name + " jobs run in transactions of their own, not inside another");
        }
        if (batchSize <= 1) {
            blocking.execute(() -> {
                try {
                    runner.runBatch(List.of(typed));
                } catch (RuntimeException | Error e) {
                    // never leave the caller waiting
                    job.result().completeExceptionally(e);
                    throw e;
                }
            });
        } else {
            if (stopped) {
                throw new IllegalStateException("the service is stopping");
            }
            queue.add(typed);
            startCommitter();
        }
        return job.result();
    }

    /**
     * Queues every job at once (so they share batches) and waits until each has its answer; what a
     * job failed with stays in its own future.
     */
    public void submitAll(List<? extends J> jobs) {
        if (QuarkusTransaction.isActive()) {
            throw new IllegalStateException(name + " jobs run in transactions of their own, not inside another");
        }
        if (batchSize <= 1) {
            jobs.forEach(job -> runner.runBatch(List.of(job)));
            return;
        }
        if (stopped) {
            throw new IllegalStateException("the service is stopping");
        }
        queue.addAll(jobs);
        startCommitter();
        for (J job : jobs) {
            try {
                job.result().get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException e) {
                // the job's own answer
            }
        }
    }

    /** Reports every batch of the committer thread to {@code listener} (metrics). */
    public void listen(BatchListener listener) {
        this.listener = listener;
    }

    /** Runs the given jobs as one batch now, on this thread (tests of what one batch does). */
    public void runAsOneBatch(List<J> jobs) {
        runner.runBatch(jobs);
    }

    private static <R> R await(CompletableFuture<R> result) {
        try {
            return result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the ledger", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private synchronized void startCommitter() {
        if (!stopped && (committer == null || !committer.isAlive())) {
            committer = new Thread(this::commitQueued, name);
            committer.setDaemon(true);
            committer.start();
        }
    }

    private void commitQueued() {
        List<J> batch = new ArrayList<>();
        while (!Thread.currentThread().isInterrupted()) {
            try {
                J first = queue.poll(1, TimeUnit.SECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, Math.max(0, batchSize - 1));
                long started = System.nanoTime();
                runner.runBatch(batch);
                listener.batch(batch.size(), System.nanoTime() - started);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException | Error e) {
                // never leave a request waiting, never let the committer die
                batch.forEach(job -> job.result().completeExceptionally(e));
                LOG.errorf(e, "%s failed", name);
            } finally {
                batch.clear();
            }
        }
        // stopping: nobody will commit what is still queued
        List<J> left = new ArrayList<>();
        queue.drainTo(left);
        left.forEach(job -> job.result().completeExceptionally(new IllegalStateException("the service is stopping")));
    }

    /** Stops the committer; jobs still queued fail. */
    public synchronized void stop() {
        stopped = true;
        Thread running = committer;
        if (running != null) {
            running.interrupt();
        }
    }
}
