package io.meridian.events;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One SSE connection of the feed: it delivers, in sequence order, every event its filter sees after
 * its cursor, from the feed's memory while it keeps up and from the database (a page at a time, as
 * the client drains) while it is behind. At most {@link FeedSettings#sendWindow} events are written
 * and not yet taken, so a slow client holds that much and no more. {@link #pump} is called by
 * whoever may have made progress possible (new events, a write taken, a page read) from any thread;
 * one caller at a time does the work.
 */
final class FeedConnection {

    private final EventFeed feed;
    final EventFilter filter;
    private final FeedClient client;
    private final AtomicInteger work = new AtomicInteger();
    private final Deque<StoredEvent> page = new ArrayDeque<>();
    final long openedAt;
    private volatile long cursor;
    private long pageEnd;
    private volatile boolean reading;
    private volatile EventReader.Page arrived;
    private volatile long arrivedAfter;
    private volatile boolean closed;
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile long oldestWriteAt;
    private volatile long lastWriteAt;

    FeedConnection(EventFeed feed, EventFilter filter, long after, FeedClient client, long now) {
        this.feed = feed;
        this.filter = filter;
        this.client = client;
        this.cursor = after;
        this.pageEnd = after;
        this.openedAt = now;
        this.lastWriteAt = now;
    }

    /** The last sequence number this connection delivered or knows it need not deliver. */
    long cursor() {
        return cursor;
    }

    boolean closed() {
        return closed || client.isClosed();
    }

    void pump() {
        if (work.getAndIncrement() != 0) {
            return;
        }
        int missed = 1;
        do {
            drain();
            missed = work.addAndGet(-missed);
        } while (missed != 0);
    }

    private void drain() {
        while (!closed() && inFlight.get() < feed.settings().sendWindow()) {
            Optional<StoredEvent> next = next();
            if (next.isEmpty()) {
                return;
            }
            StoredEvent e = next.get();
            cursor = e.seq();
            if (filter.matches(e)) {
                send(e);
            }
        }
    }

    /** The next event after the cursor this connection may deliver; empty when none yet or being read. */
    private Optional<StoredEvent> next() {
        EventReader.Page read = arrived;
        if (read != null) {
            arrived = null;
            if (arrivedAfter == cursor) {
                page.addAll(read.events());
                pageEnd = read.next();
            }
        }
        if (!page.isEmpty()) {
            return Optional.of(page.poll());
        }
        if (pageEnd > cursor) {
            cursor = pageEnd;
        }
        EventRing ring = feed.ring();
        long head = ring.last();
        if (cursor >= head || reading) {
            return Optional.empty();
        }
        if (ring.covers(cursor + 1)) {
            if (ring.lastOf(filter.owner()) <= cursor) {
                // nothing of this owner among the new ones
                cursor = head;
                return Optional.empty();
            }
            Optional<StoredEvent> e = ring.get(cursor + 1);
            if (e.isPresent()) {
                return e;
            }
        }
        reading = true;
        feed.readPage(this, cursor, head);
        return Optional.empty();
    }

    /** A page read from the database after {@code after}: called by the feed's reader. */
    void paged(long after, EventReader.Page read) {
        arrivedAfter = after;
        arrived = read;
        reading = false;
        pump();
    }

    /** A page could not be read (the database is away): the next wake tries again. */
    void pageFailed() {
        reading = false;
    }

    private void send(StoredEvent e) {
        begin();
        long at = e.atMicros();
        client.send(e).whenComplete((ok, failure) -> {
            taken(failure);
            if (failure == null) {
                feed.delivered(at);
            }
        });
    }

    /** Sends a heartbeat comment when the connection was silent for the heartbeat interval and can take one. */
    void heartbeat(long now) {
        if (inFlight.get() == 0 && now - lastWriteAt >= feed.settings().heartbeat().toMillis()) {
            begin();
            client.comment("heartbeat").whenComplete((ok, failure) -> taken(failure));
        }
    }

    /** Whether a write has waited for the client longer than the stall timeout. */
    boolean stalled(long now) {
        return inFlight.get() > 0 && now - oldestWriteAt > feed.settings().stallTimeout().toMillis();
    }

    /** Ends the connection with a last comment saying why. */
    void finish(String why) {
        if (closed) {
            return;
        }
        closed = true;
        client.comment(why).whenComplete((ok, failure) -> client.close());
    }

    private void begin() {
        long now = System.currentTimeMillis();
        if (inFlight.getAndIncrement() == 0) {
            oldestWriteAt = now;
        }
        lastWriteAt = now;
    }

    private void taken(Throwable failure) {
        if (failure != null) {
            closed = true;
            client.close();
        }
        if (inFlight.decrementAndGet() > 0) {
            oldestWriteAt = System.currentTimeMillis();
        }
        pump();
    }
}
