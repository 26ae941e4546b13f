package io.meridian.ledger;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * A reservation to take: all of it or nothing.
 *
 * @param reservationId     the id the reservation gets
 * @param places            places wanted per data center
 * @param meetingId         the client's meeting label, if any
 * @param caller            who reserves (the reservation belongs to it)
 * @param alsoInTransaction runs in the transaction that takes the holds, with the reservation (the
 *                          idempotency record): both happen, or neither
 */
public record HoldRequest(String reservationId, Map<String, Integer> places, String meetingId, String caller,
                          Consumer<Reservation> alsoInTransaction) {
    public HoldRequest {
        Objects.requireNonNull(reservationId, "reservationId");
        Objects.requireNonNull(caller, "caller");
        places = java.util.Collections.unmodifiableMap(new TreeMap<>(places));
        alsoInTransaction = alsoInTransaction == null ? r -> { } : alsoInTransaction;
    }
}
