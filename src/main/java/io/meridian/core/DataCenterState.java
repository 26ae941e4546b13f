package io.meridian.core;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Live state of one data center at the moment a snapshot was taken.
 *
 * @param status        operational status
 * @param reportedLoad  participants the site reported as active in its newest load report
 * @param reserved      participants held by live reservations
 * @param lastReportAt  time of the newest load report, if any
 * @param stale         true when the newest load report is older than the configured TTL
 */
public record DataCenterState(DataCenterStatus status, int reportedLoad, int reserved,
                              Optional<Instant> lastReportAt, boolean stale) {

    /** A fresh, idle, active data center without any load report. */
    public static final DataCenterState IDLE =
            new DataCenterState(DataCenterStatus.ACTIVE, 0, 0, Optional.empty(), false);

    public DataCenterState {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(lastReportAt, "lastReportAt");
        if (reportedLoad < 0 || reserved < 0) {
            throw new IllegalArgumentException("load and reservations cannot be negative");
        }
    }
}
