package io.meridian.events;

import java.util.concurrent.CompletionStage;

/**
 * Where an SSE connection writes: one message (or comment) at a time, each write's stage completing
 * when the client's connection took it. Framework-free, so the feed can be driven without a server.
 */
public interface FeedClient {

    /** Writes one event. */
    CompletionStage<?> send(StoredEvent event);

    /** Writes an SSE comment line ({@code : text}). */
    CompletionStage<?> comment(String text);

    /** Whether the client went away. */
    boolean isClosed();

    /** Closes the connection. */
    void close();
}
