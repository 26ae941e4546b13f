package io.meridian.catalog;

import io.meridian.core.DataCenterModel;
import io.meridian.core.DataCenterStatus;
import io.meridian.core.LatencyModel;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class LiveCapacityViewTest {

    private static DataCenterModel model() throws Exception {
        try (InputStream in = LiveCapacityViewTest.class.getClassLoader().getResourceAsStream(ModelLoader.BUNDLED)) {
            return ModelLoader.load("bundled", in, LatencyModel.BACKBONE);
        }
    }

    private static CapacityConfig config(Optional<Duration> ttl) {
        return new CapacityConfig() {
            public double maxUtilization() {
                return 0.85;
            }

            public Optional<Duration> reportTtl() {
                return ttl;
            }

            public Duration refreshInterval() {
                return Duration.ofSeconds(1);
            }
        };
    }

    @Test
    void headroomShouldSubtractLoadAndLiveHolds() throws Exception {
        DataCenterModel model = model();
        Instant now = Instant.parse("2026-11-23T07:00:00Z");
        var rows = Map.of("eu-fra", new CapacityStore.Row("eu-fra", DataCenterStatus.ACTIVE, null, null, null, 1000,
                now.minusSeconds(5)));
        var live = LiveCapacityView.build(model, config(Optional.empty()), now, rows, Map.of("eu-fra", 250));
        int fra = model.indexOf("eu-fra");
        assertThat(live.snapshot().headroom(fra)).isEqualTo(29750 - 1000 - 250);
        assertThat(live.snapshot().state(fra).reserved()).isEqualTo(250);
        assertThat(live.snapshot().utilization(fra)).isEqualTo(1250 / 35000.0);
        assertThat(live.snapshot().state(fra).stale()).isFalse();
    }

    @Test
    void withATtlOldOrMissingReportsShouldBeStale() throws Exception {
        DataCenterModel model = model();
        Instant now = Instant.parse("2026-11-23T07:00:00Z");
        var rows = Map.of(
                "eu-fra", new CapacityStore.Row("eu-fra", DataCenterStatus.ACTIVE, null, null, null, 10, now.minusSeconds(30)),
                "eu-ams", new CapacityStore.Row("eu-ams", DataCenterStatus.ACTIVE, null, null, null, 10, now.minusSeconds(300)));
        var live = LiveCapacityView.build(model, config(Optional.of(Duration.ofMinutes(2))), now, rows, Map.of());
        assertThat(live.snapshot().state(model.indexOf("eu-fra")).stale()).isFalse();
        assertThat(live.snapshot().state(model.indexOf("eu-ams")).stale()).isTrue();
        assertThat(live.snapshot().state(model.indexOf("eu-dub")).stale()).as("never reported").isTrue();
        var noTtl = LiveCapacityView.build(model, config(Optional.empty()), now, rows, Map.of());
        assertThat(noTtl.snapshot().state(model.indexOf("eu-ams")).stale()).isFalse();
    }
}
