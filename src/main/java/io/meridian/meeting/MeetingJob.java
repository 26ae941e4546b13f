package io.meridian.meeting;

import io.meridian.core.Participant;
import io.meridian.ledger.Job;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** The jobs of the meeting committer, each with its typed answer. Every one names its meeting. */
sealed interface MeetingJob<R> extends Job<R> {

    /** The live meeting's id. */
    String meeting();

    /** Place a participant; see {@link JoinResult}. */
    record Join(String meeting, String caller, Participant participant, CompletableFuture<JoinResult> result)
            implements MeetingJob<JoinResult> {
    }

    /** Remove a participant; the answer is whether it was present. */
    record Leave(String meeting, String caller, String participantId, CompletableFuture<Boolean> result)
            implements MeetingJob<Boolean> {
    }

    /** Renew the lease; empty when the meeting is unknown, not the caller's or ended. */
    record Renew(String meeting, String caller, CompletableFuture<Optional<MeetingViews.MeetingView>> result)
            implements MeetingJob<Optional<MeetingViews.MeetingView>> {
    }

    /**
     * End the meeting: by its controller ({@code caller} present), or because its lease ran out
     * (the expiry job: only if it still has). The answer is whether this job ended it.
     */
    record End(String meeting, Optional<String> caller, CompletableFuture<Boolean> result) implements MeetingJob<Boolean> {
    }
}
