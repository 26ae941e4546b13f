package io.meridian.records;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PlanIdsTest {

    @Test
    void idsSortByTimeAndTheFloorOfAMillisecondIsBelowEveryIdOfIt() {
        long t = 1_795_000_000_000L;
        List<String> ids = new ArrayList<>();
        for (long ms = t; ms < t + 50; ms++) {
            String floor = PlanIds.floor(ms);
            assertThat(floor).hasSize(26).endsWith("0000000000000000");
            for (int i = 0; i < 20; i++) {
                String id = PlanIds.next(ms);
                assertThat(id).hasSize(26).matches("[0-9A-HJKMNP-TV-Z]{26}");
                assertThat(id.compareTo(floor)).isGreaterThanOrEqualTo(0);
                assertThat(id.compareTo(PlanIds.floor(ms + 1))).isLessThan(0);
                ids.add(id.substring(0, 10));
            }
        }
        assertThat(ids).isSorted();
    }
}
