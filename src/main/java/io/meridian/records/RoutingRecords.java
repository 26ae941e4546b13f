package io.meridian.records;

import io.meridian.web.DatabaseJobs;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The service's routing records: the {@link RoutingRecorder} bound to the database, to metrics and
 * to the application's life cycle (flushed on shutdown), plus the retention job.
 *
 * <p>Metrics: {@code meridian_routing_records_written_total}, {@code meridian_routing_records_dropped_total}
 * (queue full, or not writable before shutdown), {@code meridian_routing_record_write_failures_total},
 * {@code meridian_routing_records_pending}, and {@code meridian_routing_policy_violations_total}, which
 * must stay 0.
 */
@Startup
@ApplicationScoped
public class RoutingRecords {

    private static final Logger LOG = Logger.getLogger(RoutingRecords.class);
    /** Records deleted per retention transaction. */
    static final int CLEANUP_CHUNK = 5_000;

    private final RecordsConfig config;
    private final RecordStore store;
    private final RoutingRecorder recorder;
    private final List<RecordLog> logs;
    private final DatabaseJobs jobs;

    @Inject
    public RoutingRecords(RecordsConfig config, RecordStore store, MeterRegistry registry, DatabaseJobs jobs,
                          Instance<RecordLog> logs) {
        this.config = config;
        this.jobs = jobs;
        this.store = store;
        this.logs = logs.stream().toList();
        Counter written = Counter.builder("meridian.routing.records.written")
                .description("Routing records written to the database").register(registry);
        Counter dropped = Counter.builder("meridian.routing.records.dropped")
                .description("Routing records lost: queue full, or not writable before shutdown").register(registry);
        Counter failures = Counter.builder("meridian.routing.record.write.failures")
                .description("Failed attempts to write a batch of routing records (retried)").register(registry);
        Counter violations = Counter.builder("meridian.routing.policy.violations")
                .description("Plans that used a region their own effective policy excluded; must stay 0")
                .register(registry);
        this.recorder = new RoutingRecorder(store::write, new RoutingRecorder.Listener() {
            @Override
            public void written(int records) {
                written.increment(records);
            }

            @Override
            public void dropped(int records) {
                dropped.increment(records);
            }

            @Override
            public void writeFailed(RuntimeException e) {
                failures.increment();
            }

            @Override
            public void violation(RoutingRecord record) {
                violations.increment();
                LOG.errorf("Plan %s of account %s used a region its effective policy excluded: regions %s, "
                        + "blocked %s, allowed %s", record.planId(), record.accountId(), record.regionsUsed(),
                        record.blocked(), record.allowed().map(Object::toString).orElse("any"));
            }
        }, config.queueCapacity(), config.batchSize(), config.catchUpBatchSize(), config.flushInterval());
        Gauge.builder("meridian.routing.records.pending", recorder, RoutingRecorder::pending)
                .description("Routing records accepted and not yet written").register(registry);
    }

    /**
     * Records a plan answered 200, unless recording is switched off. Never blocks, never throws.
     *
     * @return the receipt of the record's transparency log entry; empty when recording or the log is
     * off, or the record was dropped (queue full)
     */
    public Optional<RecordLog.Receipt> record(RoutingRecord record) {
        if (!config.enabled()) {
            return Optional.empty();
        }
        // the first log's entry is made here, for the receipt, and travels with the record to the writer
        RecordLog.Entry entry = logs.isEmpty() ? null : logs.get(0).encode(record).orElse(null);
        if (!recorder.record(new QueuedRecord(record, entry)) || entry == null) {
            return Optional.empty();
        }
        return Optional.of(entry.receipt());
    }

    /**
     * Records a fact whose answer carries no receipt (a join, leave or end, a bridge selection, a
     * reservation's plan whose receipt was made before it held): its log entry is encoded by the
     * writer, off the caller's thread, which may be a group commit's committer. Never blocks, never
     * throws.
     */
    public void recordWithoutReceipt(RoutingRecord record) {
        if (config.enabled()) {
            recorder.record(QueuedRecord.of(record));
        }
    }

    /**
     * The receipt the record's log entry will have, without recording it (for an answer that is
     * built before the record is made); empty when recording or the log is off.
     */
    public Optional<RecordLog.Receipt> receipt(RoutingRecord record) {
        return !config.enabled() || logs.isEmpty() ? Optional.empty() : logs.get(0).receipt(record);
    }

    /** Waits until every record accepted so far is written; for tests and reports that must see them. */
    public boolean flush(Duration timeout) {
        return recorder.flush(timeout);
    }

    void onStop(@Observes ShutdownEvent event) {
        long pending = recorder.pending();
        recorder.close(config.shutdownTimeout());
        if (pending > 0) {
            LOG.infof("Wrote %d pending routing records before shutdown", pending);
        }
    }

    /** Deletes records older than {@code meridian.records.retention}, a chunk per transaction. */
    @Scheduled(every = "${meridian.records.cleanup-interval:1h}", delayed = "10s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void removeExpired() {
        jobs.run("Routing-record retention", "Records older than meridian.records.retention are deleted once the "
                + "database is back.", () -> removeOlderThan(System.currentTimeMillis() - config.retention().toMillis()));
    }

    /** Deletes every record made before {@code cutoff} (epoch ms); returns how many. */
    public long removeOlderThan(long cutoff) {
        long removed = 0;
        int chunk;
        do {
            chunk = store.deleteBefore(cutoff, CLEANUP_CHUNK);
            removed += chunk;
        } while (chunk > 0);
        if (removed > 0) {
            LOG.infof("Removed %d routing records older than the retention period", removed);
        }
        return removed;
    }
}
