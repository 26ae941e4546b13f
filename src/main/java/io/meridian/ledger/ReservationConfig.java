package io.meridian.ledger;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Reservations held by the ledger: leases, group commit, lock waits, expiry (keys {@code meridian.reservation.*}). */
@ConfigMapping(prefix = "meridian.reservation")
public interface ReservationConfig {

    /** How long a reservation holds its participants unless renewed. */
    @WithDefault("PT5M")
    Duration lease();

    /** Plans tried against fresh state before a reserving request gives up with 503. */
    @WithDefault("3")
    int maxAttempts();

    /**
     * Most reserving requests checked and held in one transaction (group commit). 1 holds each
     * request in a transaction of its own.
     */
    @WithDefault("64")
    int batchSize();

    /**
     * Longest wait of a reservation transaction for data-center row locks (held by another replica's
     * batch, the counter repair job or a stuck session). Past it the transaction gives up and its
     * requests answer 503 temporarily-unavailable with Retry-After, instead of waiting without end.
     */
    @WithDefault("10s")
    Duration lockTimeout();

    /** How often expired reservations are removed (they stop counting at expiry regardless). */
    @WithDefault("30s")
    Duration cleanupInterval();
}
