package io.meridian.events;

import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongConsumer;

/**
 * One replica's event feed: a single poller asks the log every {@link FeedSettings#pollInterval} for
 * its last sequence number (an indexed read), loads what is new into the shared {@link EventRing}
 * and wakes the connections and long polls that wait for it. No thread is parked per connection:
 * connections are driven by write completions, a small pool reads pages for those behind, and one
 * sweep a second sends heartbeats and cuts off stalled or too old connections. A transaction of this
 * replica that committed events {@link #nudge nudges} the poller, so that its own events go out at
 * once rather than at the next poll; events of other replicas arrive within the poll interval.
 */
public final class EventFeed {

    private static final Logger LOG = Logger.getLogger(EventFeed.class);

    /** Opens a database connection outside any transaction. */
    @FunctionalInterface
    public interface Database {
        Connection open() throws SQLException;
    }

    /** Before the first poll: nothing to deliver from memory, nobody woken. */
    private static final EventRing NOT_STARTED = new EventRing(1, -1);

    private final Database database;
    private final FeedSettings settings;
    private final LongConsumer deliveryDelayMicros;
    private final Set<FeedConnection> connections = ConcurrentHashMap.newKeySet();
    private final Set<Waiter> waiters = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService scheduler;
    private final ExecutorService readers;
    private volatile EventRing ring;
    private volatile long committed;
    private volatile boolean away;
    private long backoff;
    private static final long MAX_BACKOFF_MILLIS = 5000;
    /** Nudged polls of this replica are at least this far apart, however often it commits events. */
    private static final long NUDGE_SPACING_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    private final AtomicBoolean nudgePending = new AtomicBoolean();
    private volatile long lastPollNanos;

    public EventFeed(Database database, FeedSettings settings, LongConsumer deliveryDelayMicros) {
        this.database = database;
        this.settings = settings;
        this.deliveryDelayMicros = deliveryDelayMicros;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> thread(r, "meeting-event-poller"));
        this.readers = Executors.newFixedThreadPool(2, r -> thread(r, "meeting-event-reader"));
    }

    private static Thread thread(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    public void start() {
        scheduler.schedule(this::tick, 0, TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(this::sweep, 1, 1, TimeUnit.SECONDS);
    }

    public void stop() {
        connections.forEach(c -> c.finish("the service is stopping; reconnect with Last-Event-ID"));
        scheduler.shutdownNow();
        readers.shutdownNow();
    }

    FeedSettings settings() {
        return settings;
    }

    EventRing ring() {
        EventRing r = ring;
        return r != null ? r : NOT_STARTED;
    }

    /**
     * Events were committed on this replica: poll now instead of at the next interval. Nudges that
     * arrive while one is pending are one poll, and nudged polls are at least 5 ms apart, so a
     * replica committing thousands of times a second polls at most 200 times a second more.
     */
    public void nudge() {
        if (away || !nudgePending.compareAndSet(false, true)) {
            return;
        }
        long wait = Math.max(0, lastPollNanos + NUDGE_SPACING_NANOS - System.nanoTime());
        try {
            scheduler.schedule(() -> {
                nudgePending.set(false);
                pollQuietly();
            }, wait, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException stopped) {
            nudgePending.set(false);
        }
    }

    /** Open SSE connections on this replica. */
    public int connections() {
        return connections.size();
    }

    /** Events committed in the log that this replica has not loaded yet, as of the last poll. */
    public long behind() {
        EventRing r = ring;
        return r == null ? 0 : Math.max(0, committed - r.last());
    }

    /** Starts delivering to {@code client} every event {@code filter} sees after {@code after}. */
    public void open(EventFilter filter, long after, FeedClient client) {
        FeedConnection c = new FeedConnection(this, filter, after, client, System.currentTimeMillis());
        connections.add(c);
        c.pump();
    }

    /**
     * Completes when an event of {@code owner} after {@code after} may have arrived, or after
     * {@code wait}, whichever comes first.
     */
    public CompletableFuture<Void> await(String owner, long after, Duration wait) {
        Waiter w = new Waiter(owner, after, new CompletableFuture<>());
        waiters.add(w);
        w.future.whenComplete((ok, failure) -> waiters.remove(w));
        scheduler.schedule(() -> w.future.complete(null), wait.toMillis(), TimeUnit.MILLISECONDS);
        wake(w);
        return w.future;
    }

    void delivered(long atMicros) {
        long now = ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
        deliveryDelayMicros.accept(Math.max(0, now - atMicros));
    }

    /** Reads the page after {@code after} for a connection behind the memory. */
    void readPage(FeedConnection c, long after, long through) {
        readers.execute(() -> {
            try (Connection db = database.open()) {
                if (EventReader.prunedThrough(db) > after) {
                    c.finish("events after " + after + " were deleted (retention); reconnect to be told the oldest kept");
                    c.pageFailed();
                    return;
                }
                c.paged(after, EventReader.page(db, c.filter, after, through, settings.pageSize()));
            } catch (SQLException | RuntimeException e) {
                LOG.debugf("Meeting events after %d could not be read: %s", after, e.getMessage());
                c.pageFailed();
            }
        });
    }

    /**
     * One poll, then the next after the poll interval; while the database is away, after 1, 2, 4, up
     * to {@value #MAX_BACKOFF_MILLIS} ms (each failed attempt makes the pool log a warning).
     */
    private void tick() {
        pollQuietly();
        long next = settings.pollInterval().toMillis();
        if (away) {
            backoff = backoff == 0 ? 1000 : Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
            next = backoff;
        } else {
            backoff = 0;
        }
        try {
            scheduler.schedule(this::tick, Math.max(1, next), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopped) {
            // the feed is stopping
        }
    }

    private void pollQuietly() {
        lastPollNanos = System.nanoTime();
        try {
            poll();
            if (away) {
                LOG.info("Meeting event feed: the database is back");
                away = false;
            }
        } catch (SQLException | RuntimeException e) {
            if (!away) {
                LOG.warnf("Meeting event feed: the database is unreachable (%s); events are delivered when it is back",
                        e.getMessage());
                away = true;
            }
        }
    }

    /** Loads every event committed since the last poll into the ring, and wakes who waits. */
    void poll() throws SQLException {
        try (Connection c = database.open()) {
            long last = EventLog.last(c);
            committed = last;
            EventRing r = ring;
            if (r == null) {
                ring = new EventRing(settings.memoryEvents(), last);
                wakeAll();
                return;
            }
            if (last <= r.last()) {
                return;
            }
            while (r.last() < last) {
                List<StoredEvent> batch = EventReader.all(c, r.last(), last, settings.pageSize());
                if (batch.isEmpty()) {
                    // deleted by retention before this replica read them
                    r.skipTo(last);
                    break;
                }
                for (StoredEvent e : batch) {
                    if (e.seq() != r.last() + 1) {
                        r.skipTo(e.seq() - 1);
                    }
                    r.append(e);
                }
                wakeAll();
            }
        }
    }

    private void wakeAll() {
        for (FeedConnection c : connections) {
            c.pump();
        }
        for (Waiter w : waiters) {
            wake(w);
        }
    }

    private void wake(Waiter w) {
        EventRing r = ring;
        if (r != null && r.lastOf(w.owner) > w.after) {
            w.future.complete(null);
        }
    }

    void sweep() {
        long now = System.currentTimeMillis();
        for (FeedConnection c : connections) {
            if (c.closed()) {
                connections.remove(c);
            } else if (c.stalled(now)) {
                c.finish("cut off: the client took nothing for " + settings.stallTimeout().toSeconds()
                        + " s; reconnect with Last-Event-ID");
                connections.remove(c);
            } else if (now - c.openedAt >= settings.maxAge().toMillis()) {
                c.finish("the connection reached its maximum age; reconnect with Last-Event-ID");
                connections.remove(c);
            } else {
                c.heartbeat(now);
                c.pump();
            }
        }
    }

    private record Waiter(String owner, long after, CompletableFuture<Void> future) {
    }
}
