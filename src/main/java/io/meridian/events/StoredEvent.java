package io.meridian.events;

/**
 * An event as the log holds it: its sequence number, who may read it, what it is about, and its JSON
 * without {@code seq}.
 */
public record StoredEvent(long seq, String owner, String meeting, String label, String type, long atMicros,
                          String body) {

    /** The event's JSON as served: the stored object with {@code seq} first. */
    public String json() {
        return "{\"seq\":" + seq + (body.length() > 2 ? "," + body.substring(1) : "}");
    }

    /** The event as one SSE message (its id, event name and data), with the blank line that ends it. */
    public String sse() {
        return "id: " + seq + "\nevent: " + type + "\ndata: " + json() + "\n\n";
    }
}
