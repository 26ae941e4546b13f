package io.meridian.core;

/** Why a data center of the model was not eligible for a plan. Listed in order of precedence. */
public enum ExclusionReason {
    REGION_BLOCKED,
    REGION_NOT_ALLOWED,
    DC_DOWN,
    DC_DRAINING,
    STALE_LOAD_REPORT,
    NO_HEADROOM
}
