package io.meridian.reservation;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.persistence.EntityManager;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The invariant of the reserved counters: each data center's counter is the sum of its holds. */
final class Counters {

    private Counters() {
    }

    static void assertMatchHolds(EntityManager em) {
        Map<String, int[]> rows = new HashMap<>();
        QuarkusTransaction.requiringNew().run(() -> {
            for (Object o : em.createNativeQuery("select s.data_center_id, s.reserved, (select coalesce(sum(h.participants), 0) "
                    + "from reservation_hold h where h.data_center_id = s.data_center_id) from data_center_state s")
                    .getResultList()) {
                Object[] r = (Object[]) o;
                rows.put((String) r[0], new int[] {((Number) r[1]).intValue(), ((Number) r[2]).intValue()});
            }
        });
        assertThat(rows).isNotEmpty();
        rows.forEach((dc, counts) -> assertThat(counts[0]).as("reserved counter of " + dc).isEqualTo(counts[1]));
    }
}
