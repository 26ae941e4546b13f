package io.meridian.records;

import io.meridian.web.JobOutage;
import io.meridian.web.TransientFailures;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Writes routing records off the request path. A request thread only adds its record to a bounded,
 * lock-free queue (never blocks, never fails a plan, never wakes the writer except when a batch is
 * full); one writer thread takes records in batches of up to {@code batchSize}, waiting at most
 * {@code flushInterval} for a started batch to fill, and writes each batch in one transaction.
 * When the writer falls behind (more than a batch queued), it takes what is queued, up to
 * {@code catchUpBatchSize} (never fewer than a batch), in one transaction: a transaction's fixed cost (the round trips, the
 * commit's flush to disk) is then shared by more records, so the writer keeps up with the plans
 * instead of dropping records, while at ordinary rates batches stay small and short.
 * (A blocking queue signalled the writer on every record: at a few thousand plans per second that
 * cost more than writing the records.)
 *
 * <ul>
 *   <li>Queue full: the record is dropped and counted; routing goes on.</li>
 *   <li>Write failure (database away): the batch is kept and retried with back-off (1 s to 30 s); the
 *       queue fills meanwhile, and what does not fit is counted as dropped.</li>
 *   <li>{@link #close(Duration)}: the writer writes everything queued, then stops; a record offered
 *       after that is written at once by its own thread, so a clean shutdown loses nothing.</li>
 * </ul>
 *
 * Framework-free so that batching, dropping and the shutdown flush are tested without a server.
 */
public final class RoutingRecorder {

    private static final Logger LOG = Logger.getLogger(RoutingRecorder.class);
    private static final long STEP_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    /** Where batches go; {@code replace} is true for a retry of a batch that may have been written. */
    public interface Sink {
        void write(List<QueuedRecord> batch, boolean replace);
    }

    /** Counters the recorder reports to; the service binds them to Micrometer. */
    public interface Listener {
        void written(int records);

        void dropped(int records);

        void writeFailed(RuntimeException e);

        /** A record of a plan that used a region its own policy excluded (must never happen). */
        void violation(RoutingRecord record);
    }

    private final Sink sink;
    private final Listener listener;
    private final int batchSize;
    private final int catchUpBatchSize;
    private final long flushNanos;
    private final int capacity;
    private final ConcurrentLinkedQueue<QueuedRecord> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();
    private final Thread writer;
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong finished = new AtomicLong();
    private final Object progress = new Object();
    private volatile boolean urgent;
    private volatile boolean closing;
    private volatile boolean closed;
    private volatile long backoffMillis = 1_000;
    private final JobOutage outage = new JobOutage("Routing-record writer", "Plans are still answered and "
            + "their records queue in memory (meridian.records.queue-capacity; beyond it they are dropped and counted).");

    public RoutingRecorder(Sink sink, Listener listener, int queueCapacity, int batchSize, Duration flushInterval) {
        this(sink, listener, queueCapacity, batchSize, batchSize, flushInterval);
    }

    public RoutingRecorder(Sink sink, Listener listener, int queueCapacity, int batchSize, int catchUpBatchSize,
                           Duration flushInterval) {
        if (queueCapacity < 1 || batchSize < 1) {
            throw new IllegalArgumentException("queue capacity and batch size must be positive");
        }
        this.sink = sink;
        this.listener = listener;
        this.batchSize = batchSize;
        this.catchUpBatchSize = Math.max(batchSize, catchUpBatchSize);
        this.flushNanos = Math.max(0, flushInterval.toNanos());
        this.capacity = queueCapacity;
        this.writer = new Thread(this::run, "routing-record-writer");
        this.writer.setDaemon(true);
        this.writer.start();
    }

    /** Shorter back-off for tests. */
    void backoff(Duration first) {
        this.backoffMillis = first.toMillis();
    }

    /**
     * Hands a record to the writer. Never blocks: when the queue is full the record is dropped and
     * counted. After {@link #close} the record is written at once on the caller's thread.
     *
     * @return false when the record was dropped
     */
    public boolean record(QueuedRecord record) {
        if (record.record().violatesPolicy()) {
            listener.violation(record.record());
        }
        if (closed) {
            return writeLate(record);
        }
        int queued = size.incrementAndGet();
        if (queued > capacity) {
            size.decrementAndGet();
            listener.dropped(1);
            return false;
        }
        accepted.incrementAndGet();
        queue.add(record);
        if (queued == batchSize) {
            LockSupport.unpark(writer);
        }
        if (closed) {
            // close() may have emptied the queue between our check and our add: write what is left
            List<QueuedRecord> late = new ArrayList<>();
            take(late, Integer.MAX_VALUE);
            if (!late.isEmpty()) {
                if (!writeOnce(late)) {
                    lost(late.size());
                }
                done(late.size());
            }
        }
        return true;
    }

    /** Records accepted and not yet written: queued, or in the batch the writer is filling or writing. */
    public long pending() {
        return Math.max(0, accepted.get() - finished.get());
    }

    /**
     * Asks the writer to write what is queued now without waiting for batches to fill, and waits
     * until everything accepted before this call is written (or given up).
     *
     * @return false when that did not happen within the timeout
     */
    public boolean flush(Duration timeout) {
        long target = accepted.get();
        long deadline = System.nanoTime() + timeout.toNanos();
        urgent = true;
        LockSupport.unpark(writer);
        try {
            synchronized (progress) {
                while (finished.get() < target) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0 || !writer.isAlive()) {
                        return finished.get() >= target;
                    }
                    progress.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                }
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            urgent = false;
        }
    }

    /**
     * Writes everything queued and stops the writer. Records still unwritten after the timeout (the
     * database is away) are counted as dropped and logged.
     */
    public void close(Duration timeout) {
        closing = true;
        LockSupport.unpark(writer);
        try {
            writer.join(Math.max(1, timeout.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (writer.isAlive()) {
            writer.interrupt();
        }
        closed = true;
        // records offered between the writer's last look at the queue and "closed"
        List<QueuedRecord> rest = new ArrayList<>();
        take(rest, Integer.MAX_VALUE);
        if (!rest.isEmpty()) {
            if (!writeOnce(rest)) {
                lost(rest.size());
            }
            done(rest.size());
        }
    }

    private boolean writeLate(QueuedRecord record) {
        if (writeOnce(List.of(record))) {
            return true;
        }
        lost(1);
        return false;
    }

    private boolean writeOnce(List<QueuedRecord> batch) {
        try {
            sink.write(batch, true);
            listener.written(batch.size());
            return true;
        } catch (RuntimeException e) {
            listener.writeFailed(e);
            return false;
        }
    }

    private void lost(int records) {
        listener.dropped(records);
        LOG.errorf("%d routing records could not be written before shutdown; they are lost", records);
    }

    private void run() {
        List<QueuedRecord> batch = new ArrayList<>(batchSize);
        long firstSeen = 0;
        boolean waiting = false;
        try {
            while (true) {
                int queued = size.get();
                long now = System.nanoTime();
                if (queued == 0) {
                    waiting = false;
                    if (closing) {
                        return;
                    }
                    LockSupport.parkNanos(this, STEP_NANOS);
                    continue;
                }
                if (!waiting) {
                    waiting = true;
                    firstSeen = now;
                }
                long left = flushNanos - (now - firstSeen);
                if (queued < batchSize && !urgent && !closing && left > 0) {
                    LockSupport.parkNanos(this, Math.min(left, STEP_NANOS));
                    if (Thread.interrupted()) {
                        throw new InterruptedException();
                    }
                    continue;
                }
                take(batch, queued > batchSize ? Math.min(queued, catchUpBatchSize) : batchSize);
                waiting = false;
                write(batch);
                batch.clear();
            }
        } catch (InterruptedException e) {
            // close() timed out: whatever is left in batch and queue is counted by close()
            if (!batch.isEmpty()) {
                lost(batch.size());
                done(batch.size());
            }
        }
    }

    /** Moves up to {@code max} queued records into {@code into}. */
    private void take(List<QueuedRecord> into, int max) {
        for (int i = 0; i < max; i++) {
            QueuedRecord r = queue.poll();
            if (r == null) {
                return;
            }
            size.decrementAndGet();
            into.add(r);
        }
    }

    /** Writes one batch, retrying with back-off until it is written or shutdown gives up on it. */
    private void write(List<QueuedRecord> batch) throws InterruptedException {
        long wait = backoffMillis;
        boolean retry = false;
        while (true) {
            try {
                sink.write(batch, retry);
                listener.written(batch.size());
                done(batch.size());
                outage.succeeded();
                return;
            } catch (RuntimeException e) {
                listener.writeFailed(e);
                if (TransientFailures.isDataError(e)) {
                    // the same batch would fail forever: write record by record, drop only the bad ones
                    for (QueuedRecord r : batch) {
                        if (!writeOnce(List.of(r))) {
                            LOG.errorf("Routing record of plan %s cannot be stored (%s); dropped", r.record().planId(),
                                    e.getMessage());
                            listener.dropped(1);
                        }
                    }
                    done(batch.size());
                    return;
                }
                if (!TransientFailures.isOutage(e) && !TransientFailures.isConnectionFailure(e)) {
                    LOG.warnf("Writing %d routing records failed (%s); retrying in %d ms", batch.size(),
                            TransientFailures.rootMessage(e), wait);
                }
                outage.failed(e, closing);
                retry = true;
                Thread.sleep(wait);
                wait = Math.min(30_000, wait * 2);
            }
        }
    }

    private void done(int records) {
        finished.addAndGet(records);
        synchronized (progress) {
            progress.notifyAll();
        }
    }

    /** A listener that ignores everything (tests and benchmarks). */
    public static Listener silent(Consumer<RoutingRecord> onViolation) {
        return new Listener() {
            @Override
            public void written(int records) {
            }

            @Override
            public void dropped(int records) {
            }

            @Override
            public void writeFailed(RuntimeException e) {
            }

            @Override
            public void violation(RoutingRecord record) {
                onViolation.accept(record);
            }
        };
    }
}
