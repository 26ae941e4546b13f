package io.meridian.rerouting;

import io.meridian.catalog.DataCenterStatusListener;
import io.meridian.core.DataCenterStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.PersistenceException;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;

/**
 * A data center set DOWN: its live participants are moved. DRAINING takes no new joins but moves
 * nobody, and ACTIVE again moves nobody back: neither makes a job.
 */
@ApplicationScoped
class DataCenterTrigger implements DataCenterStatusListener {

    private final Triggers triggers;

    @Inject
    DataCenterTrigger(Triggers triggers) {
        this.triggers = triggers;
    }

    @Override
    public void changed(String dataCenterId, DataCenterStatus status, Instant at) {
        if (status != DataCenterStatus.DOWN) {
            return;
        }
        try (Connection c = triggers.connection()) {
            triggers.enqueue(c, new RerouteCause.DataCenterStatusChange(dataCenterId, status));
        } catch (SQLException e) {
            throw new PersistenceException("the re-routing job of a status change could not be written", e);
        }
    }
}
