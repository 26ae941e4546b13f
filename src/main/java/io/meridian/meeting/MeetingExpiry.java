package io.meridian.meeting;

import io.meridian.ledger.CapacityLedger;
import io.meridian.web.DatabaseJobs;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.List;

/**
 * Ends live meetings whose lease ran out (their controller vanished), on every replica: each
 * meeting's end runs under its row lock and only while its lease is still run out, so two replicas
 * finding the same meeting end it once, and a join that renewed it first keeps it. Its places
 * stopped counting when the lease ran out; this frees them in the database and records the end.
 * Also counts live meetings for {@code meridian_live_meetings}.
 */
@ApplicationScoped
class MeetingExpiry {

    private static final Logger LOG = Logger.getLogger(MeetingExpiry.class);
    static final int CHUNK = 500;

    private final CapacityLedger ledger;
    private final MeetingCommitter committer;
    private final MeetingReader reader;
    private final MeetingMetrics metrics;
    private final DatabaseJobs jobs;

    @Inject
    MeetingExpiry(CapacityLedger ledger, MeetingCommitter committer, MeetingReader reader, MeetingMetrics metrics,
                  DatabaseJobs jobs) {
        this.ledger = ledger;
        this.committer = committer;
        this.reader = reader;
        this.metrics = metrics;
        this.jobs = jobs;
    }

    @Scheduled(every = "${meridian.meetings.expiry-interval:5s}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        jobs.run("Live meeting expiry", "Places of meetings whose lease ran out already stopped counting; those "
                + "meetings are ended once the database is back.", () -> {
                    run();
                    metrics.liveMeetings(reader.count());
                });
    }

    /** Ends every meeting whose lease has run out now; returns how many this call ended. */
    int run() {
        int ended = 0;
        List<String> expired;
        do {
            expired = ledger.expiredMeetings(Instant.now(), CHUNK);
            int chunk = committer.endExpired(expired);
            ended += chunk;
            if (chunk == 0) {
                // another replica is ending them, or they were renewed: look again next tick
                break;
            }
        } while (expired.size() == CHUNK);
        if (ended > 0) {
            LOG.infof("Ended %d live meetings whose lease ran out", ended);
        }
        return ended;
    }
}
