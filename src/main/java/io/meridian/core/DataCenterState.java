package io.meridian.core;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Live state of one data center at the moment a snapshot was taken.
 *
 * @param status        operational status
 * @param reportedLoad  participants the site reported as active in its newest load report
 * @param reserved      places held by live reservations
 * @param lastReportAt  time of the newest load report, if any
 * @param stale         true when the newest load report is older than the configured TTL
 * @param live          places held by participants of live meetings
 * @param liveAtReport  live participants that were on the site at {@code lastReportAt} (joined before
 *                      it and not left before it): the part of {@code reportedLoad} that {@code live}
 *                      counts too; see {@link CapacitySnapshot} for how the two are combined
 */
public record DataCenterState(DataCenterStatus status, int reportedLoad, int reserved,
                              Optional<Instant> lastReportAt, boolean stale, int live, int liveAtReport) {

    /** A fresh, idle, active data center without any load report. */
    public static final DataCenterState IDLE =
            new DataCenterState(DataCenterStatus.ACTIVE, 0, 0, Optional.empty(), false);

    public DataCenterState {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(lastReportAt, "lastReportAt");
        if (reportedLoad < 0 || reserved < 0 || live < 0 || liveAtReport < 0) {
            throw new IllegalArgumentException("load, reservations and live participants cannot be negative");
        }
    }

    /** A state without live participants. */
    public DataCenterState(DataCenterStatus status, int reportedLoad, int reserved, Optional<Instant> lastReportAt,
                           boolean stale) {
        this(status, reportedLoad, reserved, lastReportAt, stale, 0, 0);
    }

    /** The same state with other held places. */
    public DataCenterState withHolds(int reserved, int live, int liveAtReport) {
        return new DataCenterState(status, reportedLoad, reserved, lastReportAt, stale, live, liveAtReport);
    }

    /**
     * Participants on the site now, counting each once: the live participants, plus the others the
     * newest report saw ({@code reportedLoad - liveAtReport}, never below 0). A report counts
     * everyone on the site at its time, so the live participants it saw are not added again; joins
     * after it are added and leaves after it of people it counted are given back, through
     * {@code live}. Never below {@code live}.
     */
    public long inUse() {
        return (long) live + Math.max(0, reportedLoad - liveAtReport);
    }
}
