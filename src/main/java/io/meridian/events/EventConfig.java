package io.meridian.events;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** The meeting event feed of each replica (see {@link EventFeed}); retention is {@code meridian.meetings.event-retention}. */
@ConfigMapping(prefix = "meridian.meetings.events")
public interface EventConfig {

    /** How often each replica asks the log for new events (one indexed read). */
    @WithDefault("100ms")
    Duration pollInterval();

    /** How many of the newest events each replica keeps in memory for the connections that keep up. */
    @WithDefault("10000")
    int memoryEvents();

    /** Most events one database read takes, for a connection behind the memory. */
    @WithDefault("500")
    int pageSize();

    /** Most events written to one SSE connection and not yet taken by its client (its buffer bound). */
    @WithDefault("256")
    int sendWindow();

    /** Longest silence on an SSE connection before a heartbeat comment, so dead clients are found. */
    @WithDefault("15s")
    Duration heartbeat();

    /** How long a write may wait for a client that takes nothing before the connection is cut off. */
    @WithDefault("30s")
    Duration stallTimeout();

    /** Age at which an SSE connection is closed; the client reconnects with Last-Event-ID. */
    @WithDefault("PT1H")
    Duration maxConnectionAge();

    /** How often each replica deletes events older than the retention. */
    @WithDefault("1m")
    Duration retentionInterval();
}
