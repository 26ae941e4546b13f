package io.meridian.ledger;

import io.meridian.core.CapacitySnapshot;
import io.meridian.db.Pipeline;

import java.time.Instant;
import java.util.Collection;
import java.util.Map;

/**
 * What the ledger needs from the catalogue while it holds data-center rows locked: each site's
 * status and newest load report, turned into the capacity snapshot the admission rule reads. The
 * catalogue owns those columns and the rule that makes them a state (report TTL); the ledger owns the
 * holds it passes in.
 */
public interface SiteConditions {

    /**
     * Adds to {@code p} the reads of the given data centers, whose rows this transaction has locked
     * (or locks earlier in the same pipeline). After {@code p} ran, {@link Pending#snapshot} is the
     * snapshot in which they show their stored status and newest load report with the holds given
     * to it; every other data center of the model is active and idle (callers only read the locked
     * ones).
     */
    Pending lockedSnapshot(Pipeline p, Collection<String> dataCenterIds, Instant now);

    /** The conditions read, waiting for the holds. */
    interface Pending {
        CapacitySnapshot snapshot(Map<String, Holds> held);
    }
}
