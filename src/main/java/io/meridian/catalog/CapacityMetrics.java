package io.meridian.catalog;

import io.meridian.core.DataCenter;
import io.meridian.core.DataCenterModel;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Per-data-center gauges read from the current capacity snapshot at scrape time. */
@Startup
@ApplicationScoped
public class CapacityMetrics {

    @Inject
    public CapacityMetrics(MeterRegistry registry, DataCenterModel model, CapacityView capacity) {
        for (int i = 0; i < model.size(); i++) {
            DataCenter dc = model.dataCenter(i);
            int index = i;
            Gauge.builder("meridian.data.center.utilization.ratio", capacity, v -> v.snapshot().utilization(index))
                    .description("Share of capacity in use by reported load and reservations")
                    .tag("data_center", dc.id()).tag("region", dc.region())
                    .register(registry);
            Gauge.builder("meridian.data.center.headroom.participants", capacity, v -> v.snapshot().headroom(index))
                    .description("Participants the data center can still take")
                    .tag("data_center", dc.id()).tag("region", dc.region())
                    .register(registry);
        }
    }
}
