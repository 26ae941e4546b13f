package io.meridian.ledger;

import java.util.Set;
import java.util.concurrent.CompletableFuture;

/** The jobs of the reservation committer, each with its typed answer. */
sealed interface ReservationJob<R> extends Job<R> {

    /** Take a reservation, all or nothing. */
    record Hold(HoldRequest request, CompletableFuture<ReservationAttempt> result)
            implements ReservationJob<ReservationAttempt> {
        @Override
        public Set<String> sites() {
            return request.places().keySet();
        }
    }

    /** Give a live reservation back; the answer is whether this job released it. */
    record Release(String id, CompletableFuture<Boolean> result) implements ReservationJob<Boolean> {
    }
}
