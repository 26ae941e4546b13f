package io.meridian.catalog;

import io.meridian.core.DataCenterModel;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready once the data-center model is loaded and has capacity left to plan on. */
@Readiness
@ApplicationScoped
public class ModelHealthCheck implements HealthCheck {

    private final DataCenterModel model;
    private final CapacityView capacity;

    @Inject
    public ModelHealthCheck(DataCenterModel model, CapacityView capacity) {
        this.model = model;
        this.capacity = capacity;
    }

    @Override
    public HealthCheckResponse call() {
        long headroom = 0;
        var snapshot = capacity.snapshot();
        for (int i = 0; i < model.size(); i++) {
            headroom += snapshot.headroom(i);
        }
        return HealthCheckResponse.named("data-center-model")
                .status(model.size() > 0)
                .withData("regions", model.regions().size())
                .withData("dataCenters", model.size())
                .withData("headroom", headroom)
                .build();
    }
}
