package io.meridian.rerouting;

import io.meridian.policy.RegionPolicyService;
import io.meridian.web.DatabaseJobs;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Works off the re-routing jobs on each replica: polls for a due job every
 * {@code meridian.rerouting.poll-interval} (and at once when a change committed here), claims it
 * under a lease, and fixes its meetings chunk by chunk, renewing the lease and recording progress
 * after each. Each meeting's fix is idempotent (see {@link LiveMeetings#fix}), so a job resumed by
 * another replica after this one died moves nobody twice. Runs through {@link DatabaseJobs}: quiet
 * while the database is away, back to work when it returns.
 */
@ApplicationScoped
public class RerouteWorker {

    private static final Logger LOG = Logger.getLogger(RerouteWorker.class);
    /** The job's name in DatabaseJobs' log lines. */
    public static final String JOB = "Live re-routing";

    private final RerouteJobs jobs;
    private final LiveMeetings meetings;
    private final RegionPolicyService policies;
    private final RerouteConfig config;
    private final RerouteMetrics metrics;
    private final DatabaseJobs databaseJobs;
    /** Names this replica in the job rows it claims: its process id, and a random part for restarts. */
    private final String replica = "pid-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID().toString().substring(0, 8);
    private final Object signal = new Object();
    private boolean woken;
    private volatile boolean stopped;
    private volatile boolean paused;
    private Thread thread;

    @Inject
    public RerouteWorker(RerouteJobs jobs, LiveMeetings meetings, RegionPolicyService policies, RerouteConfig config,
                         RerouteMetrics metrics, DatabaseJobs databaseJobs) {
        this.jobs = jobs;
        this.meetings = meetings;
        this.policies = policies;
        this.config = config;
        this.metrics = metrics;
        this.databaseJobs = databaseJobs;
    }

    void start(@Observes StartupEvent event) {
        thread = new Thread(this::loop, "reroute-worker");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent event) {
        stopped = true;
        wake();
    }

    /** Looks for jobs now (a change was committed on this replica). */
    public void wake() {
        synchronized (signal) {
            woken = true;
            signal.notifyAll();
        }
    }

    /** Stops or resumes claiming jobs on this replica (tests: two workers racing, or a replica that stalls). */
    public void pause(boolean pause) {
        paused = pause;
        wake();
    }

    private void loop() {
        while (!stopped) {
            if (!paused) {
                databaseJobs.run(JOB, "Changes committed meanwhile keep their jobs; their moves are issued once the "
                        + "database is back.", this::drainAll);
            }
            synchronized (signal) {
                if (!woken && !stopped) {
                    // while the database is away, one try a second (as the other jobs): no burst of
                    // connection attempts, and no pool warnings, five times a second
                    long wait = databaseJobs.away(JOB) ? Math.max(1000, config.pollInterval().toMillis())
                            : config.pollInterval().toMillis();
                    try {
                        signal.wait(Math.max(1, wait));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                woken = false;
            }
        }
    }

    /** Works every due job off, then counts what is left for the gauges. */
    void drainAll() {
        // counted first, outside any transaction: an idle poll costs one indexed read, and an outage
        // shows here without a transaction manager's warning
        RerouteJobs.Backlog backlog = jobs.backlog();
        if (backlog.pending() > 0) {
            drainAs(replica);
            backlog = jobs.backlog();
        }
        metrics.backlog(backlog.pending(), backlog.oldest().map(o -> Duration.between(o, Instant.now()))
                .orElse(Duration.ZERO));
    }

    /** Claims and works off due jobs as {@code claimer} until none is left; answers how many it finished. */
    int drainAs(String claimer) {
        int finished = 0;
        while (!stopped && (!paused || !claimer.equals(replica))) {
            Optional<RerouteJobs.Claimed> job = jobs.claim(claimer, config.claimLease());
            if (job.isEmpty()) {
                break;
            }
            if (work(job.get(), claimer)) {
                finished++;
            }
        }
        return finished;
    }

    /**
     * Fixes every meeting the job concerns; returns whether {@code claimer} finished it (false when it
     * lost the claim to another, or is stopping).
     */
    boolean work(RerouteJobs.Claimed job, String claimer) {
        LiveMeetings.MoveOrder order = order(job.cause());
        String after = "";
        int moved = 0;
        int disconnected = 0;
        Instant lastMove = null;
        while (!stopped) {
            List<String> ids = list(job.cause(), order, after);
            if (ids.isEmpty()) {
                break;
            }
            int movedHere = 0;
            int disconnectedHere = 0;
            for (LiveMeetings.Fixed f : meetings.fix(ids, order)) {
                f.movedReasons().forEach(metrics::moved);
                f.disconnectedReasons().forEach(metrics::disconnected);
                movedHere += f.moved();
                disconnectedHere += f.disconnected();
            }
            if (movedHere + disconnectedHere > 0) {
                lastMove = Instant.now();
            }
            moved += movedHere;
            disconnected += disconnectedHere;
            if (!jobs.progress(job.id(), claimer, ids.size(), movedHere, disconnectedHere, config.claimLease())) {
                LOG.warnf("Re-routing job %d (%s) was taken over by another replica", job.id(), job.cause());
                return false;
            }
            after = ids.get(ids.size() - 1);
            if (ids.size() < config.chunk()) {
                break;
            }
        }
        if (stopped || !jobs.done(job.id(), claimer)) {
            return false;
        }
        if (lastMove != null) {
            metrics.lastMove(Duration.between(job.createdAt(), lastMove));
        }
        if (moved + disconnected > 0 || job.attempts() > 1) {
            LOG.infof("Re-routing job %d (%s) done: %d participants moved, %d disconnected%s", job.id(), job.cause(),
                    moved, disconnected, job.attempts() > 1 ? " (attempt " + job.attempts() + ")" : "");
        }
        return true;
    }

    private List<String> list(RerouteCause cause, LiveMeetings.MoveOrder order, String after) {
        if (cause instanceof RerouteCause.PolicyChange p) {
            return meetings.ofAccountBefore(p.accountId(), order.account().orElseThrow().version(), after, config.chunk());
        }
        return meetings.on(((RerouteCause.DataCenterStatusChange) cause).dataCenter(), after, config.chunk());
    }

    /**
     * For a policy change: the account's policy as stored now. A later change may have committed
     * since this job's; the meetings then take that one at once (its own job finds them fixed).
     */
    LiveMeetings.MoveOrder order(RerouteCause cause) {
        if (cause instanceof RerouteCause.PolicyChange p) {
            Optional<RegionPolicyService.Versioned> now = policies.versionedRestrictionFor(p.accountId());
            LiveMeetings.AccountPolicy account = now.filter(v -> v.version() >= p.version())
                    .map(v -> new LiveMeetings.AccountPolicy(Optional.of(v.restriction()), v.version()))
                    .orElse(new LiveMeetings.AccountPolicy(Optional.empty(), p.version()));
            return new LiveMeetings.MoveOrder(new RerouteCause.PolicyChange(p.accountId(), account.version()),
                    Optional.of(account));
        }
        return new LiveMeetings.MoveOrder(cause, Optional.empty());
    }
}
