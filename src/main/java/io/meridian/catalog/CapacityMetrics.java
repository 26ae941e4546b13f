package io.meridian.catalog;

import io.meridian.core.DataCenter;
import io.meridian.core.DataCenterModel;
import io.meridian.core.DataCenterStatus;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;
import java.time.Instant;

/** Per-data-center gauges, read from this replica's current capacity snapshot at scrape time. */
@Startup
@ApplicationScoped
public class CapacityMetrics {

    /** Seconds since the snapshot was last read from the database. */
    static double snapshotAgeSeconds(LiveCapacityView capacity) {
        return Duration.between(capacity.live().at(), Instant.now()).toMillis() / 1000.0;
    }

    @Inject
    public CapacityMetrics(MeterRegistry registry, DataCenterModel model, LiveCapacityView capacity,
                           CapacityConfig config) {
        Gauge.builder("meridian.data.center.utilization.limit.ratio", config, CapacityConfig::maxUtilization)
                .description("Share of capacity usable before a data center counts as full (meridian.capacity.max-utilization)")
                .register(registry);
        Gauge.builder("meridian.capacity.snapshot.age.seconds", capacity, CapacityMetrics::snapshotAgeSeconds)
                .description("Seconds since this replica's capacity snapshot was last rebuilt from the database; "
                        + "grows while the database is unreachable")
                .register(registry);
        for (int i = 0; i < model.size(); i++) {
            DataCenter dc = model.dataCenter(i);
            int index = i;
            Gauge.builder("meridian.data.center.utilization.ratio", capacity, v -> v.snapshot().utilization(index))
                    .description("Share of capacity in use by participants on the site (reported and live, each once) and reservations")
                    .tag("data_center", dc.id()).tag("region", dc.region())
                    .register(registry);
            Gauge.builder("meridian.data.center.headroom.participants", capacity, v -> v.snapshot().headroom(index))
                    .description("Participants the data center can still take")
                    .tag("data_center", dc.id()).tag("region", dc.region())
                    .register(registry);
            Gauge.builder("meridian.reserved.participants", capacity, v -> v.snapshot().state(index).reserved())
                    .description("Participants held on the data center by live reservations")
                    .tag("data_center", dc.id())
                    .register(registry);
            Gauge.builder("meridian.live.participants", capacity, v -> v.snapshot().state(index).live())
                    .description("Participants of live meetings holding a place on the data center")
                    .tag("data_center", dc.id()).tag("region", dc.region())
                    .register(registry);
            Gauge.builder("meridian.data.center.active", capacity,
                            v -> v.snapshot().state(index).status() == DataCenterStatus.ACTIVE ? 1 : 0)
                    .description("1 when the data center's status is ACTIVE, else 0 (DRAINING or DOWN)")
                    .tag("data_center", dc.id()).tag("region", dc.region())
                    .register(registry);
            Gauge.builder("meridian.data.center.stale", capacity, v -> v.snapshot().state(index).stale() ? 1 : 0)
                    .description("1 when the data center is excluded because its newest load report is too old")
                    .tag("data_center", dc.id()).tag("region", dc.region())
                    .register(registry);
            Gauge.builder("meridian.data.center.load.report.age.seconds", capacity, v -> v.snapshot().state(index)
                            .lastReportAt().map(t -> Duration.between(t, Instant.now()).toMillis() / 1000.0)
                            .orElse(Double.NaN))
                    .description("Seconds since the newest load report of the data center (NaN before the first)")
                    .tag("data_center", dc.id()).tag("region", dc.region())
                    .register(registry);
        }
    }
}
