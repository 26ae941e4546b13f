package io.meridian.records;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Routing records: what is kept, for how long, and how the writer batches. */
@ConfigMapping(prefix = "meridian.records")
public interface RecordsConfig {

    /** Record every plan answered 200. Off only for benchmarks that measure the cost of recording. */
    @WithDefault("true")
    boolean enabled();

    /** Records older than this are deleted by the cleanup job. */
    @WithDefault("P30D")
    Duration retention();

    /** How often the cleanup job runs. */
    @WithDefault("1h")
    Duration cleanupInterval();

    /** Records waiting for the writer; when full, further records are dropped and counted, routing goes on. */
    @WithDefault("20000")
    int queueCapacity();

    /**
     * Largest batch written in one transaction (unless the writer is behind). A transaction's fixed
     * cost is shared by up to this many records; the flush interval, not this, bounds how long a
     * record waits at ordinary rates. The trade-off with the plans' p99 at half load is measured in
     * docs/benchmarks.md ("Cost of routing records").
     */
    @WithDefault("1000")
    int batchSize();

    /**
     * Largest batch when the writer is behind (more than {@link #batchSize()} queued): it then writes
     * what is queued, up to this many (at least the batch size), in one transaction, so that a burst is written rather than
     * dropped.
     */
    @WithDefault("2000")
    int catchUpBatchSize();

    /** A started batch is written at the latest this long after its first record arrived. */
    @WithDefault("50ms")
    Duration flushInterval();

    /** On shutdown, how long the writer may take to write what is still queued. */
    @WithDefault("20s")
    Duration shutdownTimeout();

    /** Longest window one traffic report may cover. */
    @WithDefault("P92D")
    Duration maxReportWindow();
}
