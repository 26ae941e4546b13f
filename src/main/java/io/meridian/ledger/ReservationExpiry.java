package io.meridian.ledger;

import io.meridian.core.DataCenterModel;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import javax.sql.DataSource;
import java.sql.Connection;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Removes expired reservations and takes their holds off the counters, a chunk per transaction,
 * then repairs the counters. Expired holds stopped counting when they expired (readers subtract
 * them); this is housekeeping. Safe on any number of replicas at once: each deletes under the rows'
 * locks and counts only what it deleted itself.
 */
@ApplicationScoped
class ReservationExpiry {

    private static final Logger LOG = Logger.getLogger(ReservationExpiry.class);
    static final int CHUNK = 500;

    private final DataSource dataSource;
    private final DataCenterModel model;

    @Inject
    ReservationExpiry(DataSource dataSource, DataCenterModel model) {
        this.dataSource = dataSource;
        this.model = model;
    }

    /** One run; scheduled by the reservations' cleanup job ({@code meridian.reservation.cleanup-interval}). */
    void run() {
        int removed = 0;
        int[] chunk;
        do {
            chunk = QuarkusTransaction.requiringNew().call(this::removeChunk);
            removed += chunk[1];
        } while (chunk[0] == CHUNK);
        if (removed > 0) {
            LOG.infof("Removed %d expired reservations", removed);
        }
        QuarkusTransaction.requiringNew().call(() -> {
            try (Connection c = dataSource.getConnection()) {
                return CounterRepair.run(c, model.dataCenters().stream().map(dc -> dc.id()).toList());
            }
        });
    }

    /** One transaction: {expired reservations looked at, reservations this call deleted}. */
    private int[] removeChunk() throws Exception {
        Instant now = Instant.now();
        try (Connection c = dataSource.getConnection()) {
            List<String> ids = ReservationSql.expired(c, now, CHUNK);
            if (ids.isEmpty()) {
                return new int[] {0, 0};
            }
            Map<String, Map<String, Integer>> holds = ReservationSql.holdsOf(c, ids, false, now);
            TreeSet<String> sites = new TreeSet<>();
            holds.values().forEach(h -> sites.addAll(h.keySet()));
            Sites.lock(c, sites);
            Map<String, Holds> given = new HashMap<>();
            int removed = 0;
            for (String id : ids) {
                // a concurrent cleanup on another replica may have deleted it first: count only our own
                if (ReservationSql.deleteExpired(c, id, now)) {
                    removed++;
                    holds.getOrDefault(id, Map.of()).forEach((dc, n) -> given.merge(dc, Holds.reserved(-n), Holds::plus));
                }
            }
            Sites.add(c, given, now);
            return new int[] {ids.size(), removed};
        }
    }
}
