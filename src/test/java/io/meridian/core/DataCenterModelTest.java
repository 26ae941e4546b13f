package io.meridian.core;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DataCenterModelTest {

    @Test
    void withCapacitiesChangesOnlyTheNamedSites() {
        DataCenterModel base = TestModels.world(1000);
        DataCenterModel changed = base.withCapacities(Map.of("eu-fra", 250, "us-sjc", 4000));

        assertThat(changed.dataCenter("eu-fra").orElseThrow().capacity()).isEqualTo(250);
        assertThat(changed.dataCenter("us-sjc").orElseThrow().capacity()).isEqualTo(4000);
        assertThat(changed.dataCenter("sg-sin").orElseThrow().capacity()).isEqualTo(1000);
        // the base model is untouched, and links and indexes are the same
        assertThat(base.dataCenter("eu-fra").orElseThrow().capacity()).isEqualTo(1000);
        for (int a = 0; a < base.size(); a++) {
            assertThat(changed.dataCenter(a).id()).isEqualTo(base.dataCenter(a).id());
            for (int b = 0; b < base.size(); b++) {
                assertThat(changed.linkRttMs(a, b)).isEqualTo(base.linkRttMs(a, b));
            }
        }
    }

    @Test
    void withCapacitiesRejectsUnknownSitesAndEmptyCapacity() {
        DataCenterModel base = TestModels.world(1000);
        assertThatThrownBy(() -> base.withCapacities(Map.of("xx-nowhere", 10)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("xx-nowhere");
        assertThatThrownBy(() -> base.withCapacities(Map.of("eu-fra", 0)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
