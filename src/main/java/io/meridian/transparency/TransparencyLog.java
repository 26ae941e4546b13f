package io.meridian.transparency;

import io.meridian.transparency.log.SignedTreeHead;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import javax.sql.DataSource;
import java.net.InetAddress;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The transparency log bound to the service: the database, the schedule, metrics and shutdown.
 * Every replica runs a step every {@code meridian.transparency.tree-head-interval}; the one holding
 * the lease sequences and signs ({@link LogLeader}), every one refreshes what the metrics show.
 * Between steps the leader sequences what is pending every {@code meridian.transparency.sequence-interval}.
 *
 * <p>Metrics: {@code meridian_transparency_tree_size} (size of the newest signed head),
 * {@code meridian_transparency_unsequenced_entries}, {@code meridian_transparency_tree_head_age_seconds}
 * (age of the newest head, or time since start while there is none), {@code meridian_transparency_leader}
 * (1 on the replica that leads), {@code meridian_transparency_entries_sequenced_total} and
 * {@code meridian_transparency_step_failures_total}.
 */
@Startup
@ApplicationScoped
public class TransparencyLog {

    private static final Logger LOG = Logger.getLogger(TransparencyLog.class);

    private final TransparencyConfig config;
    private final TransparencyKeys keys;
    private final LogStore store;
    private final Optional<LogLeader> leader;
    private final long startedAt = System.currentTimeMillis();
    private final Counter sequenced;
    private final Counter failures;
    private volatile Optional<SignedTreeHead> latest = Optional.empty();
    private volatile long pending;
    private volatile boolean failing;
    private final boolean releaseOnStop;
    /** One leader step at a time on this replica: a head's step, or a sequencing step between heads. */
    private final ReentrantLock work = new ReentrantLock();

    @Inject
    public TransparencyLog(TransparencyConfig config, TransparencyKeys keys, DataSource dataSource,
                           MeterRegistry registry, @ConfigProperty(name = "quarkus.datasource.db-kind") String dbKind) {
        this.config = config;
        // an embedded H2 has no other replica to hand the lease to, and may close before this service
        this.releaseOnStop = !"h2".equalsIgnoreCase(dbKind);
        this.keys = keys;
        Transactions transactions = quarkusTransactions(dataSource);
        this.store = new LogStore(transactions, config.logId());
        this.leader = config.enabled()
                ? keys.signingKey().map(key -> new LogLeader(transactions, replicaId(), config.logId(),
                config.leaderLease(), config.sequenceBatch(), key, System::currentTimeMillis))
                : Optional.empty();
        this.sequenced = Counter.builder("meridian.transparency.entries.sequenced")
                .description("Log entries given a leaf index by this replica as leader").register(registry);
        this.failures = Counter.builder("meridian.transparency.step.failures")
                .description("Steps of the transparency log that failed (database away, storage damaged)")
                .register(registry);
        if (config.enabled()) {
            Gauge.builder("meridian.transparency.tree.size", this, t -> t.latest.map(h -> h.head().treeSize())
                    .orElse(0L)).description("Entries in the newest signed tree head").register(registry);
            Gauge.builder("meridian.transparency.unsequenced.entries", this, t -> t.pending)
                    .description("Log entries written and not yet given a leaf index").register(registry);
            Gauge.builder("meridian.transparency.tree.head.age", this, TransparencyLog::headAgeSeconds).baseUnit("seconds")
                    .description("Age of the newest signed tree head (time since start while there is none)")
                    .register(registry);
            Gauge.builder("meridian.transparency.leader", this, t -> t.leader.map(l -> l.leading() ? 1 : 0).orElse(0))
                    .description("1 on the replica that currently sequences and signs the log").register(registry);
        }
    }

    /** Transactions of the service: each unit of work in a new JTA transaction on a pooled connection. */
    static Transactions quarkusTransactions(DataSource dataSource) {
        return new Transactions() {
            @Override
            public <T> T run(Work<T> work) {
                return QuarkusTransaction.requiringNew().call(() -> {
                    try (Connection c = dataSource.getConnection()) {
                        return work.apply(c);
                    } catch (SQLException e) {
                        throw new LogStoreException("transparency log statement failed: " + e.getMessage(), e);
                    }
                });
            }
        };
    }

    private static String replicaId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "unknown-host";
        }
        return host + "/" + ProcessHandle.current().pid() + "/" + UUID.randomUUID().toString().substring(0, 8);
    }

    public LogStore store() {
        return store;
    }

    public TransparencyConfig config() {
        return config;
    }

    /** This replica's id as it appears in the lease; empty when it cannot lead (log off, no signing key). */
    public Optional<String> replica() {
        return leader.map(LogLeader::replica);
    }

    /** The newest head this replica has seen (refreshed every step). */
    public Optional<SignedTreeHead> latest() {
        return latest;
    }

    double headAgeSeconds() {
        long signed = latest.map(h -> h.head().timestampMillis()).orElse(startedAt);
        return Math.max(0, System.currentTimeMillis() - signed) / 1000.0;
    }

    @Scheduled(every = "${meridian.transparency.tree-head-interval:10s}", delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduledStep() {
        if (config.enabled()) {
            step();
        }
    }

    @Scheduled(every = "${meridian.transparency.sequence-interval:1s}", delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduledSequencing() {
        if (config.enabled() && config.sequenceInterval().compareTo(config.treeHeadInterval()) < 0) {
            sequencePending();
        }
    }

    /**
     * Between heads, as the leader: give pending entries their leaves (no head signed). Skipped
     * while a step runs; a failure is left to the next step to report.
     *
     * @return how many entries it sequenced
     */
    public long sequencePending() {
        if (leader.isEmpty() || !leader.get().leading() || !work.tryLock()) {
            return 0;
        }
        try {
            long n = leader.get().sequencePending(config.sequenceInterval());
            sequenced.increment(n);
            return n;
        } catch (RuntimeException e) {
            LOG.debugf("A sequencing step of the transparency log failed (%s); the next step retries", e.getMessage());
            return 0;
        } finally {
            work.unlock();
        }
    }

    /**
     * One step: as leader, sequence and sign; on every replica, refresh the metrics' view.
     *
     * @return what the leader did, when this replica led
     */
    public Optional<LogLeader.Step> step() {
        Optional<LogLeader.Step> done = Optional.empty();
        work.lock();
        try {
            if (leader.isPresent()) {
                keys.signingKey().ifPresent(k -> leader.get().useKey(k));
                LogLeader.Step step = leader.get().step(config.treeHeadInterval().dividedBy(2));
                sequenced.increment(step.sequenced());
                done = Optional.of(step).filter(LogLeader.Step::leader);
            }
            latest = store.latestHead();
            pending = store.pendingCount();
            if (failing) {
                LOG.info("The transparency log's steps work again");
                failing = false;
            }
        } catch (RuntimeException e) {
            failures.increment();
            if (!failing) {
                // once per outage, not on every tick
                LOG.warnf("A step of the transparency log failed (%s); entries wait in the database and no new "
                        + "tree head is signed until it works again", e.getMessage());
                failing = true;
            }
        } finally {
            work.unlock();
        }
        return done;
    }

    void onStop(@Observes ShutdownEvent event) {
        leader.filter(LogLeader::leading).filter(l -> releaseOnStop).ifPresent(l -> {
            try {
                l.release();
                LOG.infof("Replica %s released the transparency log's lease", l.replica());
            } catch (RuntimeException e) {
                LOG.warnf("Could not release the transparency log's lease (%s); it expires by itself", e.getMessage());
            }
        });
    }
}
