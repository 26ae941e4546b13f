package io.meridian.ledger;

/** The result of one attempt to take a reservation. */
public sealed interface ReservationAttempt {

    /** Held; {@code reservation} is what the client gets. */
    record Held(Reservation reservation) implements ReservationAttempt {
    }

    /** Another request took the room first: plan again. {@code shortfall} places did not fit. */
    record Taken(int shortfall) implements ReservationAttempt {
    }
}
