package io.meridian.meeting;

import io.meridian.ledger.Job;
import io.meridian.rerouting.LiveMeetings;

import java.util.concurrent.CompletableFuture;

/** Fix one meeting for one change (see {@link MoveBatch}); the answer says what happened to it. */
record MoveJob(String meeting, LiveMeetings.MoveOrder order, CompletableFuture<LiveMeetings.Fixed> result)
        implements Job<LiveMeetings.Fixed> {
}
