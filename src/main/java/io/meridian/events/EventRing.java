package io.meridian.events;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The newest events of the log in memory, a fixed number of them, shared by every connection of the
 * replica: readers that keep up are served from here, without a query each. One writer (the poller)
 * appends events in sequence order, without gaps; any thread reads. A slot a reader asks for may be
 * overwritten meanwhile: {@link #get} then answers empty and the reader goes to the database.
 */
final class EventRing {

    private final AtomicReferenceArray<StoredEvent> slots;
    private final Map<String, Long> lastOfOwner = new ConcurrentHashMap<>();
    private volatile long last;
    private volatile long first;

    /** A ring of {@code size} events, empty and positioned after {@code start}. */
    EventRing(int size, long start) {
        this.slots = new AtomicReferenceArray<>(size);
        this.last = start;
        this.first = start + 1;
    }

    /** The last sequence number appended (or the start). */
    long last() {
        return last;
    }

    /** The last sequence number of an event of {@code owner} appended, 0 when none since the start. */
    long lastOf(String owner) {
        return lastOfOwner.getOrDefault(owner, 0L);
    }

    /** The event {@code seq}, when it is still here. */
    Optional<StoredEvent> get(long seq) {
        if (seq < first || seq > last) {
            return Optional.empty();
        }
        StoredEvent e = slots.get((int) (seq % slots.length()));
        return e != null && e.seq() == seq ? Optional.of(e) : Optional.empty();
    }

    /** Whether event {@code seq} would be here if it was appended: readers after it need no query. */
    boolean covers(long seq) {
        return seq >= first;
    }

    /** Appends the next event (its seq is last + 1). Only the poller calls this. */
    void append(StoredEvent e) {
        if (e.seq() != last + 1) {
            throw new IllegalStateException("Event " + e.seq() + " appended after " + last);
        }
        int size = slots.length();
        if (e.seq() - first >= size) {
            first = e.seq() - size + 1;
        }
        slots.set((int) (e.seq() % size), e);
        lastOfOwner.merge(e.owner(), e.seq(), Math::max);
        last = e.seq();
    }

    /**
     * Moves past events that were not appended (the log's start moved, e.g. events pruned before the
     * poller read them): the ring forgets everything and starts after {@code seq}.
     */
    void skipTo(long seq) {
        if (seq > last) {
            first = seq + 1;
            last = seq;
        }
    }
}
