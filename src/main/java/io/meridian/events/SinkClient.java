package io.meridian.events;

import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;

import java.util.concurrent.CompletionStage;

/** A feed connection's client as a JAX-RS SSE sink: each write's stage completes when the connection took it. */
final class SinkClient implements FeedClient {

    private final SseEventSink sink;
    private final Sse sse;

    SinkClient(SseEventSink sink, Sse sse) {
        this.sink = sink;
        this.sse = sse;
    }

    @Override
    public CompletionStage<?> send(StoredEvent event) {
        return sink.send(sse.newEventBuilder().id(Long.toString(event.seq())).name(event.type())
                .data(String.class, event.json()).build());
    }

    @Override
    public CompletionStage<?> comment(String text) {
        return sink.send(sse.newEventBuilder().comment(text).build());
    }

    @Override
    public boolean isClosed() {
        return sink.isClosed();
    }

    @Override
    public void close() {
        sink.close();
    }
}
