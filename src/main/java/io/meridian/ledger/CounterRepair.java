package io.meridian.ledger;

import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collection;

/**
 * Sets every data center's counters back to the sum of its holds, under all the rows' locks. Every
 * writer keeps them equal; this repairs what a writer that does not know a counter (a replica of an
 * older version during a rolling update) or a manual change to the tables left behind.
 */
final class CounterRepair {

    private static final Logger LOG = Logger.getLogger(CounterRepair.class);

    private static final String RESERVED = "coalesce((select sum(h.participants) from reservation_hold h "
            + "where h.data_center_id = data_center_state.data_center_id), 0)";

    private static final String LIVE = "coalesce((select sum(h.places) from live_hold h "
            + "where h.data_center_id = data_center_state.data_center_id), 0)";

    private CounterRepair() {
    }

    /** Repairs the counters of every data center; returns how many rows it corrected. */
    static int run(Connection c, Collection<String> allDataCenters) throws SQLException {
        Sites.lock(c, allDataCenters);
        int fixed;
        try (PreparedStatement ps = c.prepareStatement("update data_center_state set reserved = " + RESERVED
                + ", live = " + LIVE + " where reserved <> " + RESERVED + " or live <> " + LIVE)) {
            fixed = ps.executeUpdate();
        }
        if (fixed > 0) {
            LOG.warnf("Corrected the held-place counters of %d data centers to the sum of their holds", fixed);
        }
        return fixed;
    }
}
