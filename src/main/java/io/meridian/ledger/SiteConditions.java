package io.meridian.ledger;

import io.meridian.core.CapacitySnapshot;

import java.sql.Connection;
import java.sql.SQLException;
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
     * The snapshot in which the given data centers, whose rows this transaction has locked, show
     * their stored status and newest load report with {@code held}; every other data center of the
     * model is active and idle (callers only read the locked ones).
     */
    CapacitySnapshot lockedSnapshot(Connection c, Collection<String> dataCenterIds, Instant now,
                                    Map<String, Holds> held) throws SQLException;
}
