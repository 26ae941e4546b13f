package io.meridian.ledger;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * Places held for a plan under a lease.
 *
 * @param id                       the reservation's id (a ULID)
 * @param expiresAt                when the hold ends unless renewed
 * @param participantsByDataCenter places held per data center, by id
 */
public record Reservation(String id, Instant expiresAt, Map<String, Integer> participantsByDataCenter) {
    public Reservation {
        participantsByDataCenter = java.util.Collections.unmodifiableMap(new TreeMap<>(participantsByDataCenter));
    }
}
