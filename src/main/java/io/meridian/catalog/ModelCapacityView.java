package io.meridian.catalog;

import io.meridian.core.CapacitySnapshot;
import io.meridian.core.DataCenterModel;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Capacity straight from the model: every data center active and idle. Stands until live status,
 * load reports and reservations feed the snapshot.
 */
@ApplicationScoped
public class ModelCapacityView implements CapacityView {

    private final CapacitySnapshot snapshot;

    @Inject
    public ModelCapacityView(DataCenterModel model, CapacityConfig config) {
        this.snapshot = CapacitySnapshot.idle(model, config.maxUtilization());
    }

    @Override
    public CapacitySnapshot snapshot() {
        return snapshot;
    }
}
