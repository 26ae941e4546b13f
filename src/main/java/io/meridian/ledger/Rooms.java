package io.meridian.ledger;

import io.meridian.core.CapacitySnapshot;
import io.meridian.core.DataCenterStatus;

import java.util.Map;

/**
 * The admission rule as the ledger applies it to locked rows: a data center can take as many more
 * places as its headroom when it is active and its load report fresh, else none; a demand over several
 * data centers is taken whole or not at all.
 */
final class Rooms {

    private Rooms() {
    }

    /** Places data center {@code i} of the snapshot can still take. */
    static int room(CapacitySnapshot snapshot, int i) {
        var state = snapshot.state(i);
        return state.status() == DataCenterStatus.ACTIVE && !state.stale() ? snapshot.headroom(i) : 0;
    }

    /**
     * Takes {@code demand} (places per data center) out of {@code room} if all of it fits, and
     * answers 0; otherwise changes nothing and answers how many places did not fit.
     */
    static int admit(Map<String, Integer> demand, Map<String, Integer> room) {
        int shortfall = 0;
        for (Map.Entry<String, Integer> d : demand.entrySet()) {
            shortfall += Math.max(0, d.getValue() - room.getOrDefault(d.getKey(), 0));
        }
        if (shortfall == 0) {
            demand.forEach((dc, n) -> room.merge(dc, -n, Integer::sum));
        }
        return shortfall;
    }
}
