package io.meridian.events;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The feed without a server, on an in-memory database with the service's migrations: a client
 * that takes nothing holds at most the send window, is cut off with a last comment after the stall
 * timeout, and a client that takes everything gets every event of its owner once, in order, from
 * memory and from pages alike.
 */
class EventFeedTest {

    private String url;
    private EventFeed feed;

    @BeforeEach
    void database() {
        url = "jdbc:h2:mem:feed-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE";
        Flyway.configure().dataSource(url, "sa", "").locations("classpath:db/migration").load().migrate();
    }

    @AfterEach
    void stop() {
        if (feed != null) {
            feed.stop();
        }
    }

    private EventFeed feed(int window, Duration stall, int memory) {
        return feed(Duration.ofMillis(50), window, stall, memory);
    }

    private EventFeed feed(Duration poll, int window, Duration stall, int memory) {
        feed = new EventFeed(() -> DriverManager.getConnection(url, "sa", ""), new FeedSettings(poll,
                memory, 7, window, Duration.ofHours(1), stall, Duration.ofHours(1)), micros -> { });
        return feed;
    }

    private void append(String owner, int n) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, "sa", "")) {
            List<PendingEvent> events = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                events.add(MeetingEvents.left(new EventMeeting("01JDN0SVCHMEET1NG000000000", "m", owner), "p" + i,
                        new EventPlace("eu-fra", "EU"), Instant.now()));
            }
            EventLog.append(c, events);
        }
    }

    @Test
    void aClientThatTakesNothingHoldsTheWindowAndIsCutOff() throws Exception {
        EventFeed f = feed(4, Duration.ofMillis(200), 100);
        f.poll();
        append("a", 20);
        f.poll();
        Client stuck = new Client(false);
        f.open(EventFilter.of("a"), 0, stuck);
        Thread.sleep(300);
        assertThat(stuck.events).as("no more than the window is written").hasSize(4);
        f.sweep();
        assertThat(stuck.comments).singleElement().asString().startsWith("cut off");
        assertThat(stuck.closed).isTrue();
        assertThat(f.connections()).isZero();
    }

    @Test
    void aClientThatTakesEverythingGetsItsOwnersEventsOnceInOrder() throws Exception {
        // memory of 5 events: most of what follows is read as pages of 7
        EventFeed f = feed(3, Duration.ofSeconds(30), 5);
        append("a", 10);
        f.poll();
        append("b", 4);
        append("a", 6);
        f.poll();
        Client all = new Client(true);
        f.open(EventFilter.of("a"), 0, all);
        append("a", 30);
        append("b", 30);
        append("a", 3);
        long deadline = System.currentTimeMillis() + 20_000;
        while (all.events.size() < 49 && System.currentTimeMillis() < deadline) {
            f.poll();
            Thread.sleep(20);
        }
        List<Long> seqs = all.events.stream().map(StoredEvent::seq).toList();
        assertThat(seqs).hasSize(49).isSorted().doesNotHaveDuplicates();
        assertThat(all.events).allSatisfy(e -> assertThat(e.owner()).isEqualTo("a"));
        Client late = new Client(true);
        f.open(EventFilter.of("b"), seqs.get(20), late);
        deadline = System.currentTimeMillis() + 20_000;
        while (late.events.size() < 30 && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        assertThat(late.events).extracting(StoredEvent::owner).containsOnly("b").hasSize(30);
    }

    @Test
    void aNudgeDeliversThisReplicasEventsWithoutWaitingForThePoll() throws Exception {
        EventFeed f = feed(Duration.ofHours(1), 100, Duration.ofSeconds(30), 100);
        f.start();
        Client all = new Client(true);
        long deadline = System.currentTimeMillis() + 10_000;
        while (f.ring().last() < 0 && System.currentTimeMillis() < deadline) {
            Thread.sleep(10); // the first poll, at start
        }
        f.open(EventFilter.of("a"), 0, all);
        append("a", 3);
        Thread.sleep(200);
        assertThat(all.events).as("nothing before the next poll, an hour away").isEmpty();
        f.nudge();
        deadline = System.currentTimeMillis() + 10_000;
        while (all.events.size() < 3 && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }
        assertThat(all.events).extracting(StoredEvent::seq).containsExactly(1L, 2L, 3L);
    }

    /** A client whose writes are taken at once, or never. */
    static final class Client implements FeedClient {
        final boolean takes;
        final List<StoredEvent> events = java.util.Collections.synchronizedList(new ArrayList<>());
        final List<String> comments = java.util.Collections.synchronizedList(new ArrayList<>());
        volatile boolean closed;

        Client(boolean takes) {
            this.takes = takes;
        }

        @Override
        public CompletionStage<?> send(StoredEvent event) {
            events.add(event);
            return takes ? CompletableFuture.completedFuture(null) : new CompletableFuture<>();
        }

        @Override
        public CompletionStage<?> comment(String text) {
            comments.add(text);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public boolean isClosed() {
            return closed;
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
