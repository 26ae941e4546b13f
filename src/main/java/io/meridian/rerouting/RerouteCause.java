package io.meridian.rerouting;

import io.meridian.core.DataCenterStatus;

import java.util.Objects;

/**
 * The committed change a re-routing job acts on, as its events and records name it
 * ({@code cause} of {@code PARTICIPANT_MOVED} / {@code PARTICIPANT_DISCONNECTED}).
 */
public sealed interface RerouteCause {

    /** The name of the cause's type, as the events and the job table write it. */
    String type();

    /**
     * An account's region policy changed (put or deleted).
     *
     * @param version the policy's new version (a deletion has one too: the version its history row has)
     */
    record PolicyChange(String accountId, long version) implements RerouteCause {
        public PolicyChange {
            Objects.requireNonNull(accountId, "accountId");
        }

        @Override
        public String type() {
            return "POLICY_CHANGE";
        }
    }

    /** A data center's status changed (a job is made only for DOWN). */
    record DataCenterStatusChange(String dataCenter, DataCenterStatus status) implements RerouteCause {
        public DataCenterStatusChange {
            Objects.requireNonNull(dataCenter, "dataCenter");
            Objects.requireNonNull(status, "status");
        }

        @Override
        public String type() {
            return "DC_STATUS";
        }
    }
}
