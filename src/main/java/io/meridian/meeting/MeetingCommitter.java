package io.meridian.meeting;

import io.meridian.core.DataCenterModel;
import io.meridian.core.JoinPlacement;
import io.meridian.core.Participant;
import io.meridian.core.RoutingOptions;
import io.meridian.events.EventFeedService;
import io.meridian.ledger.CapacityLedger;
import io.meridian.ledger.GroupCommit;
import io.meridian.routing.RoutingConfig;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Joins, leaves, renewals and ends of live meetings, through the ledger's group commit: many jobs of
 * many meetings in one transaction (see {@link MeetingBatch}).
 */
@ApplicationScoped
public class MeetingCommitter {

    private final GroupCommit<MeetingJob<?>> committer;
    /** Where a job runs when the batch size is 1 (a request's event loop must not wait for it). */
    private final Executor unbatched = Infrastructure.getDefaultWorkerPool();

    @Inject
    public MeetingCommitter(CapacityLedger ledger, JoinPlacement placement, RoutingOptions options,
                            DataCenterModel model, MeetingConfig config, RoutingConfig routing,
                            MeetingRecorder recorder, EventFeedService feed, MeetingMetrics metrics) {
        @SuppressWarnings("unchecked")
        Class<MeetingJob<?>> type = (Class<MeetingJob<?>>) (Class<?>) MeetingJob.class;
        this.committer = ledger.committer("meeting-committer", type, new MeetingBatch(ledger, placement, options, model,
                config.lease(), routing.maxParticipants(), recorder, feed.feed()::nudge), config.batchSize());
        committer.listen(metrics::batch);
    }

    @PreDestroy
    void stop() {
        committer.stop();
    }

    /*
     * Each returns at once with the job's answer to come: it completes on the committer thread after
     * the commit, so a request waits for it without holding a thread. With a batch size of 1 the job
     * runs on a worker thread of its own.
     */

    CompletableFuture<JoinResult> join(String meeting, String caller, Participant participant) {
        return committer.submitAsync(new MeetingJob.Join(meeting, caller, participant, new CompletableFuture<>()),
                unbatched);
    }

    CompletableFuture<Boolean> leave(String meeting, String caller, String participantId) {
        return committer.submitAsync(new MeetingJob.Leave(meeting, caller, participantId, new CompletableFuture<>()),
                unbatched);
    }

    CompletableFuture<Optional<MeetingViews.MeetingView>> renew(String meeting, String caller) {
        return committer.submitAsync(new MeetingJob.Renew(meeting, caller, new CompletableFuture<>()),
                unbatched);
    }

    CompletableFuture<Boolean> end(String meeting, String caller) {
        return committer.submitAsync(new MeetingJob.End(meeting, Optional.of(caller), new CompletableFuture<>()),
                unbatched);
    }

    /** Ends those of the meetings whose lease still ran out, in as few transactions as the batch size allows. */
    int endExpired(List<String> meetings) {
        List<MeetingJob.End> jobs = new ArrayList<>();
        meetings.forEach(id -> jobs.add(new MeetingJob.End(id, Optional.empty(), new CompletableFuture<>())));
        committer.submitAll(jobs);
        int ended = 0;
        for (MeetingJob.End job : jobs) {
            if (Boolean.TRUE.equals(job.result().getNow(false))) {
                ended++;
            }
        }
        return ended;
    }
}
