package io.meridian.core;

/** Operational status of a data center as set by operations. */
public enum DataCenterStatus {
    /** Takes new participants. */
    ACTIVE,
    /** Keeps its current meetings but takes no new participants. */
    DRAINING,
    /** Out of service. */
    DOWN
}
