package io.meridian.events;

import java.time.Duration;

/**
 * How one replica's event feed runs (see {@link EventFeed}).
 *
 * @param pollInterval  how often the poller asks the log for new events
 * @param memoryEvents  how many of the newest events are kept in memory for the connections that keep up
 * @param pageSize      most events one query reads, for a connection behind the memory or a JSON page
 * @param sendWindow    most events written to one SSE connection and not yet taken by its client
 * @param heartbeat     longest silence on an SSE connection before a heartbeat comment
 * @param stallTimeout  how long a write may wait for a client that takes nothing before it is cut off
 * @param maxAge        age at which an SSE connection is closed (the client reconnects with Last-Event-ID)
 */
public record FeedSettings(Duration pollInterval, int memoryEvents, int pageSize, int sendWindow, Duration heartbeat,
                           Duration stallTimeout, Duration maxAge) {
}
