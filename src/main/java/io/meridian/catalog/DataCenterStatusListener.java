package io.meridian.catalog;

import io.meridian.core.DataCenterStatus;

import java.time.Instant;

/**
 * Told of every data-center status change inside the transaction that writes it: what it writes
 * commits or rolls back with the change. Live re-routing implements it.
 */
public interface DataCenterStatusListener {

    void changed(String dataCenterId, DataCenterStatus status, Instant at);
}
