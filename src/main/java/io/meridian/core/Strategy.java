package io.meridian.core;

/** How a meeting is spread over data centers. */
public enum Strategy {
    /** The whole meeting on one data center. */
    SINGLE,
    /** Each participant on its best data center, the data centers linked in a cascade. */
    CASCADE,
    /** Cascade only when it lowers the worst participant-to-participant latency enough. */
    AUTO
}
