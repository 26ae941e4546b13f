package io.meridian.events;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The SSE representation of the feed: live delivery, resume without gap or duplicate, many clients, retention. */
@QuarkusTest
class MeetingEventStreamTest {

    @AfterEach
    void endMeetings() {
        Feed.endAll();
    }

    @Inject
    EventFeedService service;

    @Inject
    EventRetentionJob retention;

    @io.quarkus.test.common.http.TestHTTPResource(value = "metrics", management = true)
    java.net.URL metrics;

    @Test
    void aQuietStreamGetsHeartbeatsAndTheReplicaCountsItsConnections() throws Exception {
        Feed feed = Feed.fresh();
        try (Feed.Stream s = feed.stream("", null)) {
            List<String> comment = CompletableFuture.supplyAsync(() -> {
                try {
                    return s.next();
                } catch (java.io.IOException e) {
                    throw new IllegalStateException(e);
                }
            }).get(30, TimeUnit.SECONDS);
            assertThat(comment).as("a comment, no event").allSatisfy(l -> assertThat(l).startsWith(":"));
            String scrape = io.restassured.RestAssured.given().get(metrics).then().statusCode(200).extract().asString();
            assertThat(scrape).containsPattern("(?m)^meridian_meeting_event_connections(\\{[^}]*})? [1-9]")
                    .contains("meridian_meeting_event_feed_lag_events")
                    .contains("meridian_meeting_event_delivery_seconds_bucket");
        }
    }

    @Test
    void aDroppedStreamResumesWithLastEventIdWithoutGapOrDuplicate() throws Exception {
        Feed feed = Feed.fresh();
        String meeting = feed.create("resume-1");
        int joins = 60;
        CompletableFuture<Void> joining = CompletableFuture.runAsync(() -> {
            for (int i = 0; i < joins; i++) {
                assertThat(feed.join(meeting, "p" + i, "DE")).isEqualTo(201);
            }
        });
        List<Long> received = new ArrayList<>();
        List<String> types = new ArrayList<>();
        CompletableFuture.runAsync(() -> {
            try (Feed.Stream first = feed.stream("meeting=" + meeting, null)) {
                assertThat(first.response.statusCode()).isEqualTo(200);
                assertThat(first.response.headers().firstValue("Content-Type").orElse(""))
                        .startsWith("text/event-stream");
                assertThat(first.response.headers().firstValue("Cache-Control")).contains("no-store");
                for (int i = 0; i < 20; i++) {
                    String[] e = first.nextEvent();
                    received.add(Long.parseLong(e[0]));
                    types.add(e[1]);
                    assertThat(e[2]).startsWith("{\"seq\":" + e[0] + ",\"type\":\"" + e[1] + "\"");
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).get(60, TimeUnit.SECONDS);
        // dropped; the joins go on; resume from the last id seen
        CompletableFuture.runAsync(() -> {
            try (Feed.Stream again = feed.stream("meeting=" + meeting,
                    String.valueOf(received.get(received.size() - 1)))) {
                while (received.size() < joins) {
                    String[] e = again.nextEvent();
                    received.add(Long.parseLong(e[0]));
                    types.add(e[1]);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).get(60, TimeUnit.SECONDS);
        joining.get(60, TimeUnit.SECONDS);
        assertThat(received).isSorted().doesNotHaveDuplicates().hasSize(joins);
        assertThat(types).containsOnly("PARTICIPANT_JOINED");
        List<Long> stored = feed.all(0).stream().map(e -> ((Number) e.get("seq")).longValue()).toList();
        assertThat(received).as("exactly the log's events, none missing").isEqualTo(stored);
    }

    @Test
    void twoHundredClientsEachGetEveryEvent() throws Exception {
        int clients = 200;
        Feed feed = Feed.fresh();
        Feed other = Feed.fresh();
        String meeting = feed.create("crowd");
        String elsewhere = other.create("crowd");
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Feed.Stream> streams = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                streams.add(feed.stream("", null));
            }
            long deadline = System.currentTimeMillis() + 30_000;
            while (service.feed().connections() < clients && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            assertThat(service.feed().connections()).isGreaterThanOrEqualTo(clients);
            other.join(elsewhere, "stranger", "DE");
            feed.join(meeting, "alice", "DE");
            feed.join(meeting, "bob", "DE");
            List<Future<List<String>>> got = new ArrayList<>();
            for (Feed.Stream s : streams) {
                got.add(pool.submit(() -> {
                    List<String> seen = new ArrayList<>();
                    while (seen.size() < 2) {
                        String[] e = s.nextEvent();
                        seen.add(e[2]);
                    }
                    return seen;
                }));
            }
            for (Future<List<String>> f : got) {
                List<String> seen = f.get(60, TimeUnit.SECONDS);
                assertThat(seen.get(0)).contains("\"participantId\":\"alice\"");
                assertThat(seen.get(1)).contains("\"participantId\":\"bob\"");
            }
            for (Feed.Stream s : streams) {
                s.close();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void badInputOfAStreamIsAProblemBeforeAnyEvent() throws Exception {
        Feed feed = Feed.fresh();
        for (String[] c : new String[][] {{"", "abc"}, {"after=-3", null}, {"meetingId=a%20b", null}}) {
            try (Feed.Stream s = feed.stream(c[0], c[1])) {
                assertThat(s.response.statusCode()).as(c[0] + " " + c[1]).isEqualTo(400);
                assertThat(s.response.headers().firstValue("Content-Type").orElse(""))
                        .startsWith("application/problem+json");
            }
        }
        try (Feed.Stream s = feed.stream("meeting=01JDN0SVCHMEET1NG000000000", null)) {
            assertThat(s.response.statusCode()).isEqualTo(404);
        }
    }

    @Test
    void eventsOlderThanTheRetentionAreDeletedAndAskingForThemIs410() throws Exception {
        Feed feed = Feed.fresh();
        String meeting = feed.create("old");
        feed.join(meeting, "alice", "DE");
        feed.join(meeting, "bob", "DE");
        long first = ((Number) feed.all(0).get(0).get("seq")).longValue();
        assertThat(retention.run(Instant.now().plusSeconds(60))).isGreaterThanOrEqualTo(2);
        assertThat(feed.all(0)).as("from the oldest kept: nothing of this caller is left").isEmpty();
        String kept = feed.as().accept(ContentType.JSON).get("/api/v1/meeting-events?after=" + first).then()
                .statusCode(410).contentType("application/problem+json")
                .body("type", org.hamcrest.Matchers.endsWith("/problems/events-expired"))
                .extract().header(EventPages.OLDEST_HEADER);
        assertThat(Long.parseLong(kept)).isGreaterThan(first + 1);
        try (Feed.Stream s = feed.stream("", String.valueOf(first))) {
            assertThat(s.response.statusCode()).isEqualTo(410);
        }
        // resuming right before the oldest kept works, and new events are served
        feed.join(meeting, "carol", "DE");
        List<Map<String, Object>> after = feed.all(Long.parseLong(kept) - 1);
        assertThat(after).extracting(e -> e.get("participantId")).containsExactly("carol");
    }
}
