package io.meridian.reservation;

import io.meridian.ledger.Reservation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.Map;

/** Capacity held for a plan under a lease. */
@Schema(name = "Reservation", description = "Participants held on data centers until the lease expires.")
public record ReservationView(
        @Schema(examples = "01JD2Q7ZK3M6W1X5N8P0R4T9V2", required = true) String id,
        @Schema(description = "When the hold ends unless renewed.", required = true) Instant expiresAt,
        @Schema(description = "Participants held per data center.", examples = "{\"eu-fra\": 3}", required = true)
        Map<String, Integer> participantsByDataCenter) {

    public static ReservationView of(Reservation reservation) {
        return new ReservationView(reservation.id(), reservation.expiresAt(), reservation.participantsByDataCenter());
    }
}
